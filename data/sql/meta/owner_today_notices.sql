-- The notices of owner $owner first recorded after hour $hour's sync, as the email shows them.
SELECT type, entity_type, entity_id, name, owner, reason, report_date::VARCHAR AS report_date,
       numbers->>'time_zone' AS time_zone, numbers->>'local_time' AS local_time,
       numbers->>'quiet_since' AS quiet_since, numbers->>'currency' AS currency,
       numbers->>'spend' AS spend, numbers->>'daily_budget' AS daily_budget,
       (numbers->>'pacing')::DOUBLE AS pacing
FROM today_notices
WHERE snapshot_hour = $hour::TIMESTAMPTZ AND owner = $owner
ORDER BY type, entity_type, entity_id;
