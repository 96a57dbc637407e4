-- The outcome of carrying out one planned action, and the execution's counts and errors with it.
UPDATE rule_actions SET status = $5, workflow_id = $6, detail = $7
WHERE evaluation_id = $1 AND rule_id = $2 AND campaign_id = $3 AND action_index = $4;
