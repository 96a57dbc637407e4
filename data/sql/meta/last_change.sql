-- When Meta last showed a budget or status change of campaign $1, as ISO text (null: never seen).
SELECT strftime(max(changed_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS at
FROM meta_campaign_changes
WHERE meta_campaign_id = $1;
