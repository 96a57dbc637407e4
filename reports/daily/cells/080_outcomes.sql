-- Outcome checks (METRICS.md): a budget change is judged on the 7 days after it, so its check is
-- complete once change_date + 7 is loaded. "This week" counts the checks that completed in the 7
-- days ending yesterday; accuracy (right / checked) runs over every check completed by yesterday,
-- per rule and overall, against the PRD's 80% target. Dates, not checked_at: no clock is read.
-- Beside it, right_vs_control (against matched unchanged campaigns) over the checks that had a control.
-- @title Outcome checks and recommendation accuracy
-- @requires outcome_checks
-- @columns rule:Rule, finished_7d:Finished this week, right_7d:Right this week, checked:Checked (all), accuracy_pct:Accuracy, accuracy_vs_control_pct:Right vs control
WITH done AS (
  SELECT rule, was_right, right_vs_control, change_date + 7 AS finished_on
  FROM outcome_checks
  WHERE change_date + 7 <= $yesterday
    AND ($owner IS NULL OR owner = $owner)
)
SELECT * FROM (
  SELECT coalesce(rule, 'all') AS rule,
         count(*) FILTER (WHERE finished_on > $yesterday - 7)::INTEGER AS finished_7d,
         count(*) FILTER (WHERE finished_on > $yesterday - 7 AND was_right)::INTEGER AS right_7d,
         count(*)::INTEGER AS checked,
         count(*) FILTER (WHERE was_right)::INTEGER AS right_all,
         round(count(*) FILTER (WHERE was_right) * 100.0 / count(*), 1)::DOUBLE AS accuracy_pct,
         count(right_vs_control)::INTEGER AS checked_vs_control,
         count(*) FILTER (WHERE right_vs_control)::INTEGER AS right_vs_control,
         round(count(*) FILTER (WHERE right_vs_control) * 100.0 / nullif(count(right_vs_control), 0), 1)::DOUBLE
           AS accuracy_vs_control_pct
  FROM done
  GROUP BY ROLLUP (rule)
) AS t
WHERE checked > 0
ORDER BY rule = 'all' DESC, rule;
