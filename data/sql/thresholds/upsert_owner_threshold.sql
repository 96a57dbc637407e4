-- $1 owner (lower-cased), $2 field, $3 value, $4 previous, $5 workflow id, $6 approver.
INSERT INTO owner_thresholds (owner, field, value, previous, workflow_id, approved_by)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (owner, field) DO UPDATE SET
  value = excluded.value, previous = excluded.previous, workflow_id = excluded.workflow_id,
  approved_by = excluded.approved_by, approved_at = now()
