-- A budget write the backtest applied to its simulated Meta, recorded as the budgetChange workflow
-- records a real one (event 'written'), but at the simulated instant $12 (epoch ms) rather than
-- now(): the cooldown (executed_changes) must see simulated time.
-- $1 event, $2 workflow_id, $3 run_id, $4 campaign_id, $5 owner, $6 actor, $7 actor_ip,
-- $8 actor_agent, $9 details (JSON text), $10 prev_hash, $11 hash, $12 recorded_at (epoch ms)
INSERT INTO audit_log (event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent, details, prev_hash, hash, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, $10, $11, make_timestamptz($12::BIGINT * 1000))
ON CONFLICT DO NOTHING;
