-- Recounts each rule's execution from its actions once they have been carried out; failed actions
-- join the errors (a broken rule file's errors, recorded at evaluation, stay).
UPDATE rule_executions e SET
  proposed = (SELECT count(*) FROM rule_actions a WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status IN ('proposed', 'existing')),
  taken = (SELECT count(*) FROM rule_actions a WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status IN ('unattended', 'sent', 'copied')),
  errors = coalesce(
    (SELECT to_json(list(a.campaign_id || ' ' || a.kind || ': ' || a.detail)) FROM rule_actions a
     WHERE a.evaluation_id = e.evaluation_id AND a.rule_id = e.rule_id AND a.status = 'failed'
     HAVING count(*) > 0),
    e.errors)
WHERE e.evaluation_id = $1;
