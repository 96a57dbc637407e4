-- Open alerts of earlier days that today's evaluation ($1) no longer raises.
UPDATE alerts SET status = 'expired', status_changed_at = now()
WHERE status = 'open' AND as_of < $1::DATE
  AND (campaign_id, type) NOT IN (SELECT campaign_id, type FROM alerts WHERE as_of = $1::DATE);
