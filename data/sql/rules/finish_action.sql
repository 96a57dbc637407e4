-- The outcome of carrying out one planned action, and the execution's counts and errors with it.
UPDATE rule_actions SET status = $6, workflow_id = $7, detail = $8
WHERE evaluation_id = $1 AND rule_id = $2 AND entity_type = $3 AND entity_id = $4 AND action_index = $5;
