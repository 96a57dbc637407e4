-- A re-run of the day ($1) writes its segments again; $2 the suggestion types it evaluates (JSON list).
DELETE FROM suggestion_segments
WHERE as_of = $1::DATE AND list_contains(from_json($2, '["VARCHAR"]'), type);
