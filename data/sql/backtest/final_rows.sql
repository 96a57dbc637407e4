-- Every day's spend and revenue as last loaded, per campaign and per ad set (keyed `adset-<id>`, as the
-- backtest keys changes): scaleflow's own count of what the market delivered, restatements applied.
SELECT campaign_id AS key, date::VARCHAR AS date,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_campaign_metrics
UNION ALL
SELECT 'adset-' || adset_id AS key, date::VARCHAR AS date,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics
ORDER BY key, date;
