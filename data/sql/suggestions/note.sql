-- $1 as_of, $2 entity type, $3 entity id, $4 type, $5 why nothing is written for the suggestion.
UPDATE alerts SET note = $5
WHERE as_of = $1::DATE AND entity_type = $2 AND entity_id = $3 AND type = $4;
