-- Daily rows of every campaign in [$1, $2] for one owner ($3) or 'all': the decision engine's input.
SELECT date::VARCHAR AS date, campaign_id, campaign_name, owner, category,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM campaign_day_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR owner = $3)
ORDER BY campaign_id, date;
