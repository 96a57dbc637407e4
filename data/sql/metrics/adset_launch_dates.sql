-- First day with spend > 0 of every ad set, up to $1, keyed as the decision engine groups ad sets
-- (`adset/<id>`): a new ad set in an old campaign is a launch of its own.
SELECT 'adset/' || adset_id AS entity_key, min(date)::VARCHAR AS launch_date
FROM daily_adset_metrics
WHERE spend > 0 AND date <= $1::DATE
GROUP BY adset_id;
