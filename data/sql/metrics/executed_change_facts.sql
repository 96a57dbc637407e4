-- Budget or status changes up to the instant $1 (epoch ms): the cooldown's input. Those scaleflow
-- executed (the audit log), and those the hourly Meta sync saw in its snapshots (made in Ads
-- Manager or by anyone else), mapped to strateg.is campaigns through campaign_map. Changes made to
-- one ad set cool that ad set, not its campaign: they are adset_change_facts.sql's.
SELECT campaign_id, epoch_ms(recorded_at)::DOUBLE AS changed_at
FROM executed_changes
WHERE epoch_ms(recorded_at) <= $1 AND workflow_id NOT LIKE 'budget-change/adset-%'
UNION ALL
SELECT m.campaign_id, epoch_ms(c.changed_at)::DOUBLE AS changed_at
FROM meta_campaign_changes c
JOIN campaign_map m ON m.meta_campaign_id = c.meta_campaign_id
WHERE epoch_ms(c.changed_at) <= $1;
