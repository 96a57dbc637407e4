-- Every audit row exactly as the chain hashes it: stored text (details unparsed), recorded_at in
-- epoch microseconds (the column's full precision). $1: only the last row (TRUE) or all.
SELECT seq::INTEGER AS seq, epoch_us(recorded_at)::VARCHAR AS recorded_us, event, workflow_id, run_id, campaign_id, owner,
       actor, actor_ip, actor_agent, details::VARCHAR AS details, prev_hash, hash
FROM audit_log
QUALIFY NOT $1::BOOLEAN OR seq = max(seq) OVER ()
ORDER BY seq;
