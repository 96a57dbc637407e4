-- One page of campaigns ($5: JSON array of lib/meta/wire.ts CampaignStateRow) into hour $1's
-- snapshot; a retried or re-run page rewrites the same rows. Spend comes with the insights pages.
INSERT INTO meta_campaign_snapshots
  (snapshot_hour, account_id, meta_campaign_id, name, status, effective_status, currency,
   daily_budget, lifetime_budget, is_cbo, report_date, synced_at)
SELECT $1::TIMESTAMPTZ, $2, r.meta_campaign_id, r.name, r.status, r.effective_status, $3,
       r.daily_budget::DECIMAL(18, 2), r.lifetime_budget::DECIMAL(18, 2), r.is_cbo, $4::DATE, now()
FROM (
  SELECT unnest(from_json($5::JSON, '[{"meta_campaign_id":"VARCHAR","name":"VARCHAR","status":"VARCHAR","effective_status":"VARCHAR","daily_budget":"VARCHAR","lifetime_budget":"VARCHAR","is_cbo":"BOOLEAN"}]'), recursive := true)
) r
ON CONFLICT (snapshot_hour, meta_campaign_id) DO UPDATE SET
  account_id = excluded.account_id,
  name = excluded.name,
  status = excluded.status,
  effective_status = excluded.effective_status,
  currency = excluded.currency,
  daily_budget = excluded.daily_budget,
  lifetime_budget = excluded.lifetime_budget,
  is_cbo = excluded.is_cbo,
  report_date = excluded.report_date,
  synced_at = excluded.synced_at;
