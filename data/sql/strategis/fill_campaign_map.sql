-- Meta ids and ad accounts the report carries fill gaps in the campaign map; values set by hand
-- (scaleflow map set, data/campaign-map.csv) are never overwritten.
INSERT INTO campaign_map (campaign_id, meta_campaign_id, account_id)
SELECT campaign_id, max(meta_campaign_id), max(account_id)
FROM strategis_checked
WHERE reason IS NULL AND NOT is_total AND (meta_campaign_id IS NOT NULL OR account_id IS NOT NULL)
GROUP BY campaign_id
ON CONFLICT (campaign_id) DO UPDATE SET
  meta_campaign_id = coalesce(campaign_map.meta_campaign_id, excluded.meta_campaign_id),
  account_id = coalesce(campaign_map.account_id, excluded.account_id);
