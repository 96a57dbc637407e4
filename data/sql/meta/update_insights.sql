-- One page of today's insights ($2: JSON array of lib/meta/wire.ts InsightsRow) onto hour $1's
-- campaign rows. Campaigns without a row delivered nothing today and keep spend 0.
UPDATE meta_campaign_snapshots s SET
  spend = i.spend::DECIMAL(18, 2),
  impressions = i.impressions,
  clicks = i.clicks,
  purchases = i.purchases,
  purchase_value = i.purchase_value::DECIMAL(18, 2),
  insights_synced_at = now()
FROM (
  SELECT unnest(from_json($2::JSON, '[{"meta_campaign_id":"VARCHAR","spend":"VARCHAR","impressions":"BIGINT","clicks":"BIGINT","purchases":"BIGINT","purchase_value":"VARCHAR"}]'), recursive := true)
) i
WHERE s.snapshot_hour = $1::TIMESTAMPTZ AND s.meta_campaign_id = i.meta_campaign_id;
