-- Daily rows of every campaign in [$1, $2]: the rules' input (counts for ctr, cpc, cpm, cpa).
SELECT date::VARCHAR AS date, campaign_id, campaign_name, owner, category,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue,
       coalesce(clicks, 0)::DOUBLE AS clicks, coalesce(impressions, 0)::DOUBLE AS impressions,
       coalesce(conversions, 0)::DOUBLE AS conversions
FROM daily_campaign_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
ORDER BY campaign_id, date;
