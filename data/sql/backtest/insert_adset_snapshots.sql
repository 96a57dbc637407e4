-- The simulated Meta's ad sets at sync hour $1, as the hourly sync writes them (migration 014): $2 a
-- JSON array of ad-set rows, budgets and money in dollars.
INSERT INTO meta_adset_snapshots (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status,
  effective_status, currency, daily_budget, bid_strategy, optimization_goal, learning_status, audience_type,
  report_date, spend, purchase_value, insights_synced_at)
SELECT $1::TIMESTAMPTZ, a.account_id, a.meta_campaign_id, a.adset_id, a.name, a.status, a.effective_status, 'USD',
       a.daily_budget::DECIMAL(18, 2), 'LOWEST_COST_WITHOUT_CAP', 'OFFSITE_CONVERSIONS', a.learning_status,
       a.audience_type, a.report_date::DATE, a.spend::DECIMAL(18, 2), a.purchase_value::DECIMAL(18, 2),
       $1::TIMESTAMPTZ
FROM (
  SELECT unnest(from_json($2, '[{"account_id":"VARCHAR","meta_campaign_id":"VARCHAR","adset_id":"VARCHAR","name":"VARCHAR","status":"VARCHAR","effective_status":"VARCHAR","daily_budget":"VARCHAR","learning_status":"VARCHAR","audience_type":"VARCHAR","report_date":"VARCHAR","spend":"VARCHAR","purchase_value":"VARCHAR"}]')) AS a
);
