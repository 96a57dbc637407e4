-- $1 workflow_id, $2 run_id, $3 event: the row a retried activity already appended, if any.
SELECT seq FROM audit_log WHERE workflow_id = $1 AND run_id = $2 AND event = $3;
