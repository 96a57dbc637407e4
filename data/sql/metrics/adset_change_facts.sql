-- Ad-set budget or status changes up to the instant $1 (epoch ms): an ad set's cooldown. Those
-- scaleflow executed (their runs are keyed budget-change/adset-<id>/..., lib/names.ts) and those the
-- hourly Meta sync saw on the ad set (meta_adset_changes), with the strateg.is campaign they belong to.
SELECT campaign_id, regexp_extract(workflow_id, '^budget-change/adset-(\d+)/', 1) AS adset_id,
       epoch_ms(recorded_at)::DOUBLE AS changed_at
FROM executed_changes
WHERE epoch_ms(recorded_at) <= $1 AND workflow_id LIKE 'budget-change/adset-%'
UNION ALL
SELECT coalesce(s.campaign_id, f.campaign_id) AS campaign_id, c.adset_id, epoch_ms(c.changed_at)::DOUBLE AS changed_at
FROM meta_adset_changes c
LEFT JOIN meta_adset_state s ON s.adset_id = c.adset_id
LEFT JOIN (SELECT meta_campaign_id, min(campaign_id) AS campaign_id FROM campaign_daily_facts
           WHERE meta_campaign_id IS NOT NULL GROUP BY meta_campaign_id) f ON f.meta_campaign_id = c.meta_campaign_id
WHERE epoch_ms(c.changed_at) <= $1 AND coalesce(s.campaign_id, f.campaign_id) IS NOT NULL;
