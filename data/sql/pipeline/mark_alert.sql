-- $1 as_of, $2 campaign, $3 type, $4 status, $5 workflow id
UPDATE alerts SET status = $4, status_changed_at = now(), workflow_id = coalesce($5, workflow_id)
WHERE as_of = $1::DATE AND campaign_id = $2 AND type = $3;
