-- A stored day's recommendations, $1 as_of, keyed `<entity_type>/<entity_id>`. `hold` is what an entity
-- without a row gets anyway, so those rows stay in DuckDB.
SELECT entity_type || '/' || entity_id AS key, recommendation
FROM decisions
WHERE as_of = $1::DATE AND recommendation <> 'hold';
