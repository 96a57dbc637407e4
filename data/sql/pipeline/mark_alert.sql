-- $1 as_of, $2 campaign, $3 type, $4 status, $5 workflow id, $6 the ad set (null: the campaign's own alert)
UPDATE alerts SET status = $4, status_changed_at = now(), workflow_id = coalesce($5, workflow_id)
WHERE as_of = $1::DATE AND type = $3
  AND entity_type = CASE WHEN $6::VARCHAR IS NULL THEN 'campaign' ELSE 'adset' END
  AND entity_id = coalesce($6::VARCHAR, $2);
