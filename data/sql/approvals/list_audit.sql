-- $1 campaign id or NULL for all, $2 first date (in TZ, inclusive) or NULL
SELECT seq::INTEGER AS seq, recorded_at::VARCHAR AS recorded_at, event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent,
       details::VARCHAR AS details, prev_hash, hash
FROM audit_log
WHERE ($1::VARCHAR IS NULL OR campaign_id = $1)
  AND ($2::DATE IS NULL OR recorded_at >= $2::DATE)
ORDER BY seq;
