-- Recommendation accuracy (METRICS.md): right / checked, by rule and owner, with the totals
-- rolled up (GROUPING SETS), over outcome checks whose change day falls in [$1, $2]; $3 owner or
-- 'all', $4 level: 'auto' every check, else only those of that entity type.
SELECT * FROM (
  SELECT coalesce(rule, 'all') AS rule,
         coalesce(owner, 'all') AS owner,
         count(*)::INTEGER AS checked,
         count(*) FILTER (WHERE was_right)::INTEGER AS right,
         round(count(*) FILTER (WHERE was_right) / count(*), 3)::DOUBLE AS accuracy
  FROM outcome_checks
  WHERE change_date BETWEEN $1::DATE AND $2::DATE
    AND ($3::VARCHAR = 'all' OR owner = $3)
    AND ($4::VARCHAR = 'auto' OR entity_type = $4)
  GROUP BY GROUPING SETS ((rule, owner), (rule), ())
) AS t
ORDER BY t.rule <> 'all', t.rule, t.owner <> 'all', t.owner;
