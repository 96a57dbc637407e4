-- Every campaign's daily spend and revenue as the warehouse holds them last (restatements loaded).
SELECT campaign_id, date::VARCHAR AS date, spend::DOUBLE AS spend, revenue::DOUBLE AS revenue
FROM daily_campaign_metrics;
