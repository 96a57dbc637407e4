-- Each mapped campaign's latest Meta state (the hourly sync): today's spend so far and budget, and
-- its ad account's time zone (NULL until the sync records the account: config TZ then) and currency
-- (the account's as meta_accounts has it, else the snapshot's), which sizes every budget change.
SELECT campaign_id, s.account_id, meta_campaign_id, status,
       daily_budget::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       spend::DECIMAL(18, 2)::VARCHAR AS spend_today,
       impressions::DOUBLE AS impressions, clicks::DOUBLE AS clicks, purchases::DOUBLE AS purchases,
       report_date::VARCHAR AS report_date, epoch_ms(as_of_hour)::DOUBLE AS as_of_ms, a.time_zone,
       coalesce(a.currency, s.currency) AS currency
FROM meta_campaign_state s
LEFT JOIN meta_accounts a ON a.account_id = s.account_id
WHERE campaign_id IS NOT NULL;
