-- The last executed change of a campaign by scaleflow, other than this workflow's own. $1 campaign, $2 workflow id
SELECT max(recorded_at)::VARCHAR AS at
FROM audit_log
WHERE event = 'written' AND campaign_id = $1 AND workflow_id <> $2;
