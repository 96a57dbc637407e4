-- Calibration (issue 20 item 4): outcome checks of the 90 change days ending $as_of, the window of
-- GET /api/facebook/outcomes/calibration, per owner (and, in the team report, all owners), rule,
-- baseline ROAS band and step, each with its Wilson score 95% interval. The figures are
-- lib/calibration.ts's: bands as roasBucketOf (lower bounds inclusive, compared in exact decimals),
-- steps as stepBandOf from the action the write logged, the interval as wilson95 (z = 1.959964,
-- bounds rounded to 0.001 before they are judged). A band is clearly wrong with at least
-- $min_checks checks (CALIBRATION_MIN_CHECKS) and an upper bound below the 80% target; row_flag
-- highlights it. test/reports/calibration-cell.test.ts holds the cell to the library's figures.
-- @title Recommendation calibration, last 90 days
-- @requires outcome_checks, audit_log
-- @columns owner:Owner, rule:Rule, band:Baseline ROAS band, step:Step, checks:Checks, right:Right, accuracy_pct:Accuracy, interval:Wilson 95%, verdict:Verdict
-- @limit 30
WITH checks AS (
  SELECT o.owner, o.rule, o.was_right, o.baseline_spend, o.baseline_revenue,
         json_extract_string(a.details, '$.action.kind') AS kind,
         TRY_CAST(json_extract(a.details, '$.action.fromCents') AS BIGINT) AS from_cents,
         TRY_CAST(json_extract(a.details, '$.action.toCents') AS BIGINT) AS to_cents
  FROM outcome_checks o
  LEFT JOIN audit_log a ON a.workflow_id = o.workflow_id AND a.event = 'written'
  WHERE o.change_date > $as_of - 90 AND o.change_date <= $as_of
    AND ($owner IS NULL OR o.owner = $owner)
  QUALIFY row_number() OVER (PARTITION BY o.workflow_id ORDER BY a.seq) = 1
),
banded AS (
  SELECT owner, rule, was_right,
         CASE WHEN baseline_spend <= 0 THEN 'no spend'
              WHEN baseline_revenue * 100 >= baseline_spend * 130 THEN '>=130'
              WHEN baseline_revenue * 100 >= baseline_spend * 100 THEN '100-130'
              WHEN baseline_revenue * 100 >= baseline_spend * 80 THEN '80-100'
              ELSE '<80' END AS band,
         CASE WHEN kind IS NULL THEN 'unknown'
              WHEN kind <> 'set_daily_budget' THEN kind
              WHEN coalesce(from_cents, 0) = 0 OR to_cents IS NULL THEN 'unknown'
              ELSE CASE WHEN to_cents > from_cents THEN 'raise' ELSE 'cut' END || ' ' ||
                   CASE WHEN abs(to_cents - from_cents) * 100 <= from_cents * 10 THEN '<=10%'
                        WHEN abs(to_cents - from_cents) * 100 <= from_cents * 25 THEN '10-25%'
                        WHEN abs(to_cents - from_cents) * 100 <= from_cents * 50 THEN '25-50%'
                        ELSE '>50%' END
         END AS step
  FROM checks
),
counted AS (
  SELECT CASE WHEN grouping(owner) = 1 THEN 'all owners' ELSE owner END AS owner,
         grouping(owner) = 1 AS team_row, rule, band, step,
         count(*)::INTEGER AS checks, count(*) FILTER (WHERE was_right)::INTEGER AS "right"
  FROM banded
  GROUP BY GROUPING SETS ((owner, rule, band, step), (rule, band, step))
),
wilson AS (
  SELECT *, "right" / checks AS p, 1.959964::DOUBLE * 1.959964 AS z2,
         1 + 1.959964::DOUBLE * 1.959964 / checks AS denom
  FROM counted
  -- An owner's report has one owner: its all-owners rows would repeat it.
  WHERE $owner IS NULL OR NOT team_row
),
bounds AS (
  SELECT *,
         round(greatest(0, (p + z2 / (2 * checks)) / denom
               - 1.959964 / denom * sqrt(p * (1 - p) / checks + z2 / (4 * checks * checks))), 3) AS low,
         round(least(1, (p + z2 / (2 * checks)) / denom
               + 1.959964 / denom * sqrt(p * (1 - p) / checks + z2 / (4 * checks * checks))), 3) AS high
  FROM wilson
)
SELECT owner, rule, band, step, checks, "right",
       round("right" * 100.0 / checks, 1)::DOUBLE AS accuracy_pct,
       round(low * 100, 1)::DOUBLE AS low_pct, round(high * 100, 1)::DOUBLE AS high_pct,
       printf('%.1f%% - %.1f%%', low * 100, high * 100) AS interval,
       checks >= $min_checks AND high < 0.8 AS clearly_wrong,
       checks >= $min_checks AND high < 0.8 AS row_flag,
       CASE WHEN checks < $min_checks THEN 'fewer than ' || $min_checks || ' checks'
            WHEN high < 0.8 THEN 'clearly wrong'
            ELSE 'interval reaches 80%' END AS verdict,
       team_row
FROM bounds
ORDER BY team_row DESC, owner, clearly_wrong DESC, rule, band, step;
