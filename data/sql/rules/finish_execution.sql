-- Recounts one rule's execution from its actions once they have been carried out.
UPDATE rule_executions e SET
  proposed = (SELECT count(*) FROM rule_actions a WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status IN ('proposed', 'existing')),
  taken = (SELECT count(*) FROM rule_actions a WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status IN ('unattended', 'sent', 'copied')),
  errors = (SELECT coalesce(to_json(list(a.campaign_id || ' ' || a.kind || ': ' || a.detail)), '[]'::JSON) FROM rule_actions a
            WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status = 'failed')
WHERE e.evaluation_id = $1;
