-- Which of the budget changes $1 (a list of workflow ids) have asked their approvers, or already
-- got past that point (decided, expired, cancelled): their links can go into the morning report.
SELECT DISTINCT workflow_id
FROM audit_log
WHERE list_contains(from_json($1, '["VARCHAR"]'), workflow_id)
  AND event IN ('approval_requested', 'decided', 'expired', 'cancelled');
