-- $1 seq, $2 recorded_at (epoch µs), $3 event, $4 workflow_id, $5 run_id, $6 campaign_id, $7 owner,
-- $8 actor, $9 actor_ip, $10 actor_agent, $11 details (JSON text), $12 prev_hash, $13 hash.
-- seq and recorded_at are chosen by the caller, not by the sequence or now(), because the keyed
-- hash covers them and is computed before the row is written.
INSERT INTO audit_log (seq, recorded_at, event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent, details, prev_hash, hash)
VALUES ($1, make_timestamptz($2::BIGINT), $3, $4, $5, $6, $7, $8, $9, $10, $11::JSON, $12, $13);
