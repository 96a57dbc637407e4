INSERT OR REPLACE INTO rule_executions
  (evaluation_id, rule_id, as_of, started_at, duration_ms, dry_run, checked, matched, proposed, taken, errors)
VALUES ($1, $2, $3::DATE, make_timestamptz($4::BIGINT * 1000), $5, $6, $7, $8, 0, 0, $9::JSON);
