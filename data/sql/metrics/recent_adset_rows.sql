-- Daily rows of every ad set in [$1, $2] for one owner ($3) or 'all' (the owner of its campaign's
-- rows), with the ad set's learning phase from the last completed sync: the ad-set decisions' input.
SELECT d.date::VARCHAR AS date, d.campaign_id, d.adset_id, d.adset_name, d.campaign_name, d.owner, d.category,
       d.audience_type, d.revenue_source, s.learning_status,
       d.spend::DECIMAL(18, 2)::VARCHAR AS spend, d.revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics d
LEFT JOIN meta_adset_state s ON s.adset_id = d.adset_id
WHERE d.date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR d.campaign_id IN (SELECT campaign_id FROM campaign_day_metrics
                                                 WHERE date BETWEEN $1::DATE AND $2::DATE AND owner = $3))
ORDER BY d.campaign_id, d.adset_id, d.date;
