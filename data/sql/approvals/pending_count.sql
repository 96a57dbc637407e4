-- Proposals whose approval was requested and that are neither decided nor expired yet.
SELECT count(*)::INTEGER AS n FROM (
  SELECT workflow_id
  FROM audit_log
  GROUP BY workflow_id, run_id
  HAVING bool_or(event = 'approval_requested') AND NOT bool_or(event IN ('decided', 'expired'))
);
