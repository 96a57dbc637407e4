-- $1 event, $2 workflow_id, $3 run_id, $4 campaign_id, $5 owner, $6 actor, $7 actor_ip,
-- $8 actor_agent, $9 details (JSON text), $10 prev_hash, $11 hash, $12 recorded_at (epoch ms, or
-- NULL for now(): only the backtest records at a simulated instant, so its cooldown sees simulated time)
INSERT INTO audit_log (event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent, details, prev_hash, hash, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, $10, $11, coalesce(make_timestamptz($12::BIGINT * 1000), now()))
ON CONFLICT DO NOTHING;
