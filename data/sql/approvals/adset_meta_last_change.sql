-- When the hourly sync last saw the ad set's budget or status change on Meta. $1 ad set id
SELECT max(last_changed_at)::VARCHAR AS at FROM meta_adset_state WHERE adset_id = $1;
