-- The last executed change of an ad set by scaleflow, other than this workflow's own (the ad-set
-- cooldown). The write's audit details name the ad set. $1 ad set id, $2 workflow id
SELECT max(recorded_at)::VARCHAR AS at
FROM audit_log
WHERE event = 'written' AND json_extract_string(details, '$.adsetId') = $1 AND workflow_id <> $2;
