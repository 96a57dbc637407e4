-- The engine's alerts of day $1 in answer order (the caller deleted the day's first): $2 a JSON array of
-- {position, owner, alert} with each alert as JSON text (migration 024, evaluated_alerts).
INSERT INTO evaluated_alerts (as_of, position, owner, alert)
SELECT $1::DATE, a.position, a.owner, a.alert
FROM (SELECT unnest(from_json($2, '[{"position":"INTEGER","owner":"VARCHAR","alert":"VARCHAR"}]')) AS a);
