-- Every owner's today notices first recorded after hour $hour's sync (owner_today_notices for all owners).
SELECT type, entity_type, entity_id, name, owner, reason, report_date::VARCHAR AS report_date,
       numbers->>'time_zone' AS time_zone, numbers->>'local_time' AS local_time,
       numbers->>'quiet_since' AS quiet_since, numbers->>'currency' AS currency,
       numbers->>'spend' AS spend, numbers->>'daily_budget' AS daily_budget,
       (numbers->>'pacing')::DOUBLE AS pacing
FROM today_notices
WHERE snapshot_hour = $hour::TIMESTAMPTZ
ORDER BY owner, type, entity_type, entity_id;
