-- A rule's executions, newest first ($1 rule id, $2 limit), with its actions (campaigns' and ad sets') as JSON.
SELECT e.evaluation_id, e.rule_id, e.as_of::VARCHAR AS as_of, strftime(e.started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS started_at,
       e.duration_ms, e.dry_run, e.checked, e.matched, e.proposed, e.taken, e.errors::VARCHAR AS errors,
       (SELECT coalesce(to_json(list({'campaign_id': a.campaign_id, 'entity_type': a.entity_type, 'entity_id': a.entity_id, 'adset_id': a.adset_id, 'owner': a.owner, 'kind': a.kind, 'status': a.status, 'unattended': a.unattended,
                                      'workflow_id': a.workflow_id, 'detail': a.detail} ORDER BY a.campaign_id, a.entity_type, a.entity_id, a.action_index)), '[]'::JSON)
        FROM rule_actions a WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id)::VARCHAR AS actions
FROM rule_executions e
WHERE e.rule_id = $1
ORDER BY e.started_at DESC, e.evaluation_id DESC
LIMIT $2;
