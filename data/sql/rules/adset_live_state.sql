-- Each ad set's latest Meta state (the hourly sync, meta_adset_state): its own daily budget (NULL
-- when its campaign holds the budget), status, learning phase and audience type, and today so far;
-- its ad account's time zone (NULL until the sync records the account: config TZ then) and currency.
SELECT s.adset_id, s.name, s.account_id, s.meta_campaign_id, s.status, s.learning_status, s.audience_type,
       coalesce(a.currency, s.currency) AS currency,
       s.daily_budget::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       s.spend::DECIMAL(18, 2)::VARCHAR AS spend_today,
       coalesce(n.impressions, 0)::DOUBLE AS impressions, coalesce(n.clicks, 0)::DOUBLE AS clicks,
       coalesce(n.purchases, 0)::DOUBLE AS purchases,
       s.report_date::VARCHAR AS report_date, epoch_ms(s.as_of_hour)::DOUBLE AS as_of_ms, a.time_zone
FROM meta_adset_state s
LEFT JOIN meta_adset_snapshots n ON n.adset_id = s.adset_id AND n.snapshot_hour = s.as_of_hour
LEFT JOIN meta_accounts a ON a.account_id = s.account_id;
