-- $1 event, $2 workflow_id, $3 run_id, $4 campaign_id, $5 owner, $6 actor, $7 actor_ip,
-- $8 actor_agent, $9 details (JSON text), $10 prev_hash, $11 hash
INSERT INTO audit_log (event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent, details, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, $10, $11)
ON CONFLICT DO NOTHING;
