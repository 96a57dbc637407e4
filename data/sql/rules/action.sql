-- One recorded action ($3 entity_type, $4 entity_id: the campaign_id, or the ad set id).
SELECT evaluation_id, rule_id, campaign_id, action_index, kind, as_of::VARCHAR AS as_of, status, owner, unattended, detail,
       plan::VARCHAR AS plan, evidence::VARCHAR AS evidence
FROM rule_actions
WHERE evaluation_id = $1 AND rule_id = $2 AND entity_type = $3 AND entity_id = $4 AND action_index = $5;
