-- What rules did before this evaluation ($1 as_of, $2 evaluation instant epoch ms, $3 this
-- evaluation's id): campaigns acted on today, each campaign's last action, each rule's last run.
SELECT 'acted' AS what, rule_id, campaign_id, NULL::DOUBLE AS at
FROM rule_actions
WHERE as_of = $1::DATE AND evaluation_id <> $3
  AND status IN ('planned', 'proposed', 'unattended', 'sent', 'copied', 'existing', 'dry_run')
GROUP BY rule_id, campaign_id
UNION ALL
SELECT 'last_action', rule_id, campaign_id, max(epoch_ms(planned_at))::DOUBLE
FROM rule_actions
WHERE evaluation_id <> $3 AND epoch_ms(planned_at) <= $2
  AND status IN ('planned', 'proposed', 'unattended', 'sent', 'copied', 'existing')
GROUP BY rule_id, campaign_id
UNION ALL
SELECT 'last_run', rule_id, NULL, max(epoch_ms(started_at))::DOUBLE
FROM rule_executions
WHERE evaluation_id <> $3 AND epoch_ms(started_at) <= $2
GROUP BY rule_id;
