-- The budget changes proposed for the day's ($1) alerts, scale-ups first: where the demo looks for
-- one still waiting for approval.
SELECT workflow_id FROM alerts
WHERE as_of = $1::DATE AND workflow_id IS NOT NULL
ORDER BY type = 'scale_up' DESC, campaign_id;
