-- Daily spend and revenue of every ad set in [$1, $2] for one owner ($3) or 'all' (daily_adset_metrics:
-- strateg.is ad-set rows, or the campaign's split by Meta purchase value): the ad sets' curves' input.
SELECT campaign_id, adset_id, date::VARCHAR AS date,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR lower(owner) = $3)
ORDER BY campaign_id, adset_id, date;
