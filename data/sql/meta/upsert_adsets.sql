-- One page of ad sets ($5: JSON array of lib/meta/adset-wire.ts AdSetStateRow) into hour $1's
-- snapshot; a retried or re-run page rewrites the same rows. Spend comes with the ad-set insights pages.
INSERT INTO meta_adset_snapshots
  (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, effective_status, currency,
   daily_budget, lifetime_budget, bid_strategy, optimization_goal, learning_status, audience_type,
   targeting, report_date, synced_at)
SELECT $1::TIMESTAMPTZ, $2, r.meta_campaign_id, r.adset_id, r.name, r.status, r.effective_status, $3,
       r.daily_budget::DECIMAL(18, 2), r.lifetime_budget::DECIMAL(18, 2), r.bid_strategy, r.optimization_goal,
       r.learning_status, r.audience_type, r.targeting::JSON, $4::DATE, now()
FROM (
  SELECT unnest(from_json($5::JSON, '[{"adset_id":"VARCHAR","meta_campaign_id":"VARCHAR","name":"VARCHAR","status":"VARCHAR","effective_status":"VARCHAR","daily_budget":"VARCHAR","lifetime_budget":"VARCHAR","bid_strategy":"VARCHAR","optimization_goal":"VARCHAR","learning_status":"VARCHAR","audience_type":"VARCHAR","targeting":"VARCHAR"}]'), recursive := true)
) r
ON CONFLICT (snapshot_hour, adset_id) DO UPDATE SET
  account_id = excluded.account_id,
  meta_campaign_id = excluded.meta_campaign_id,
  name = excluded.name,
  status = excluded.status,
  effective_status = excluded.effective_status,
  currency = excluded.currency,
  daily_budget = excluded.daily_budget,
  lifetime_budget = excluded.lifetime_budget,
  bid_strategy = excluded.bid_strategy,
  optimization_goal = excluded.optimization_goal,
  learning_status = excluded.learning_status,
  audience_type = excluded.audience_type,
  targeting = excluded.targeting,
  report_date = excluded.report_date,
  synced_at = excluded.synced_at;
