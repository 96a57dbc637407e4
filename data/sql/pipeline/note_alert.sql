-- $1 as_of, $2 campaign, $3 type, $4 why no budget change was proposed.
UPDATE alerts SET note = $4 WHERE as_of = $1::DATE AND campaign_id = $2 AND type = $3;
