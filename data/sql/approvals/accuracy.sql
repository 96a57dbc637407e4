-- Recommendation accuracy (METRICS.md): right / checked, by rule and owner, with the totals
-- rolled up (GROUPING SETS), over outcome checks whose change day falls in [$1, $2]; $3 owner or
-- 'all', $4 level: 'auto' every check, else only those of that entity type. The _vs_control columns
-- count only checks that had a matched control (right_vs_control NULL is no verdict, not wrong).
SELECT * FROM (
  SELECT coalesce(rule, 'all') AS rule,
         coalesce(owner, 'all') AS owner,
         count(*)::INTEGER AS checked,
         count(*) FILTER (WHERE was_right)::INTEGER AS right,
         round(count(*) FILTER (WHERE was_right) / count(*), 3)::DOUBLE AS accuracy,
         count(right_vs_control)::INTEGER AS checked_vs_control,
         count(*) FILTER (WHERE right_vs_control)::INTEGER AS right_vs_control,
         round(count(*) FILTER (WHERE right_vs_control) / nullif(count(right_vs_control), 0), 3)::DOUBLE
           AS accuracy_vs_control
  FROM outcome_checks
  WHERE change_date BETWEEN $1::DATE AND $2::DATE
    AND ($3::VARCHAR = 'all' OR owner = $3)
    AND ($4::VARCHAR = 'auto' OR entity_type = $4)
  GROUP BY GROUPING SETS ((rule, owner), (rule), ())
) AS t
ORDER BY t.rule <> 'all', t.rule, t.owner <> 'all', t.owner;
