-- Each mapped campaign's latest Meta state (the hourly sync): today's spend so far and budget.
SELECT campaign_id, account_id, meta_campaign_id, status,
       daily_budget::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       spend::DECIMAL(18, 2)::VARCHAR AS spend_today,
       impressions::DOUBLE AS impressions, clicks::DOUBLE AS clicks, purchases::DOUBLE AS purchases,
       report_date::VARCHAR AS report_date, epoch_ms(as_of_hour)::DOUBLE AS as_of_ms
FROM meta_campaign_state
WHERE campaign_id IS NOT NULL;
