-- Every page of hour $1 is in: count what it holds and mark it complete.
UPDATE meta_sync_runs SET
  finished_at = now(),
  accounts = (SELECT count(DISTINCT account_id) FROM meta_campaign_snapshots WHERE snapshot_hour = $1::TIMESTAMPTZ),
  campaigns = (SELECT count(*) FROM meta_campaign_snapshots WHERE snapshot_hour = $1::TIMESTAMPTZ),
  insights_rows = (SELECT count(insights_synced_at) FROM meta_campaign_snapshots WHERE snapshot_hour = $1::TIMESTAMPTZ)
WHERE snapshot_hour = $1::TIMESTAMPTZ
RETURNING accounts, campaigns, insights_rows;
