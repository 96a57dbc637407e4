-- What rules did before this evaluation ($1 as_of, $2 evaluation instant epoch ms, $3 this
-- evaluation's id): campaigns and ad sets acted on today, each one's last action, each rule's last
-- run. `entity_key` is lib/rules/measure.ts entityKeyOf: the campaign_id, or adset-<id>.
WITH actions AS (
  SELECT *, CASE WHEN entity_type = 'adset' THEN 'adset-' || entity_id ELSE campaign_id END AS entity_key
  FROM rule_actions
  WHERE evaluation_id <> $3
)
SELECT 'acted' AS what, rule_id, entity_key AS campaign_id, NULL::DOUBLE AS at
FROM actions
WHERE as_of = $1::DATE
  AND status IN ('planned', 'proposed', 'unattended', 'sent', 'copied', 'existing', 'dry_run')
GROUP BY rule_id, entity_key
UNION ALL
SELECT 'last_action', rule_id, entity_key, max(epoch_ms(planned_at))::DOUBLE
FROM actions
WHERE epoch_ms(planned_at) <= $2
  AND status IN ('planned', 'proposed', 'unattended', 'sent', 'copied', 'existing')
GROUP BY rule_id, entity_key
UNION ALL
SELECT 'last_run', rule_id, NULL, max(epoch_ms(started_at))::DOUBLE
FROM rule_executions
WHERE evaluation_id <> $3 AND epoch_ms(started_at) <= $2
GROUP BY rule_id;
