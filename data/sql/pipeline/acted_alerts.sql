-- The budget changes proposed for the day's ($1) alerts: where the demo looks for one still waiting
-- for approval (it shows a raise first).
SELECT workflow_id FROM alerts
WHERE as_of = $1::DATE AND workflow_id IS NOT NULL
ORDER BY campaign_id, entity_type, entity_id, type;
