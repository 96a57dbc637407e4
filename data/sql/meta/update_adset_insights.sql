-- One page of today's ad-set insights ($2: JSON array of lib/meta/adset-wire.ts AdSetInsightsRow)
-- onto hour $1's ad-set rows: figures are set, never added, so a re-run counts nothing twice. Ad
-- sets without a row delivered nothing today and keep 0.
UPDATE meta_adset_snapshots s SET
  spend = i.spend::DECIMAL(18, 2),
  impressions = i.impressions,
  clicks = i.clicks,
  purchases = i.purchases,
  purchase_value = i.purchase_value::DECIMAL(18, 2),
  insights_synced_at = now()
FROM (
  SELECT unnest(from_json($2::JSON, '[{"adset_id":"VARCHAR","spend":"VARCHAR","impressions":"BIGINT","clicks":"BIGINT","purchases":"BIGINT","purchase_value":"VARCHAR"}]'), recursive := true)
) i
WHERE s.snapshot_hour = $1::TIMESTAMPTZ AND s.adset_id = i.adset_id;
