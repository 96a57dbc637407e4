SELECT evaluation_id, rule_id, campaign_id, action_index, kind, as_of::VARCHAR AS as_of, status, owner, unattended, detail,
       plan::VARCHAR AS plan, evidence::VARCHAR AS evidence
FROM rule_actions
WHERE evaluation_id = $1 AND rule_id = $2 AND campaign_id = $3 AND action_index = $4;
