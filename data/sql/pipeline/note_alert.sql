-- $1 as_of, $2 campaign, $3 type, $4 why no budget change was proposed, $5 the ad set (null: the campaign's own alert)
UPDATE alerts SET note = $4
WHERE as_of = $1::DATE AND type = $3
  AND entity_type = CASE WHEN $5::VARCHAR IS NULL THEN 'campaign' ELSE 'adset' END
  AND entity_id = coalesce($5::VARCHAR, $2);
