-- Yesterday's anomaly flags (METRICS / issue 5: spend, revenue or roas more than 3 sd from the
-- trailing 7-day median, or down more than 30% day over day). The rules are the decision engine's
-- (lib/decisions/anomalies.ts, pure TypeScript); rather than run a second copy of them here, the
-- pipeline stores each day's flags in decisions.detail (services/decisions/evaluate-day.ts) and
-- this reads them back, so the report shows what the pipeline decided on and the Arrow dataset
-- keeps it. A day the engine has not evaluated (for any owner) returns one row with only
-- campaigns_evaluated = 0 (left out of the table), so "no anomalies" is never said of a day nobody checked.
-- Biggest first: drops by how far they fell, then deviations by how many sd out.
-- @title Anomalies yesterday
-- @requires decisions, daily_campaign_metrics
-- @columns campaign_name:Campaign, owner:Owner, metric:Metric, description:What happened
WITH day AS (
  SELECT count(*)::INTEGER AS campaigns_evaluated FROM decisions WHERE as_of = $as_of
),
flags AS (
  SELECT d.campaign_id, d.owner,
         unnest(from_json(d.detail -> 'anomalies',
           '[{"date":"VARCHAR","metric":"VARCHAR","rule":"VARCHAR","value":"DOUBLE","baseline":"DOUBLE","sd":"DOUBLE","change_pct":"DOUBLE","description":"VARCHAR"}]')) AS f
  FROM decisions d
  WHERE d.as_of = $as_of AND ($owner IS NULL OR d.owner = $owner)
),
shown AS (
  SELECT campaign_id, owner, f.metric AS metric, f.rule AS rule, f.value AS value, f.baseline AS baseline,
         f.sd AS sd, f.change_pct AS change_pct, f.description AS description,
         -- Ranked at the precision the sentence prints ("4.0 sd"), so rounding noise never orders them.
         round(CASE WHEN f.rule = 'drop' THEN f.change_pct ELSE abs(f.value - f.baseline) / f.sd END, 1) AS size
  FROM flags
  WHERE f.date = CAST($yesterday AS VARCHAR)
),
names AS (
  SELECT campaign_id, arg_max(campaign_name, date) AS name
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 7 AND $yesterday AND campaign_id IN (SELECT campaign_id FROM shown)
  GROUP BY campaign_id
)
SELECT * FROM (
  SELECT s.campaign_id, coalesce(n.name, s.campaign_id) AS campaign_name,
         s.owner, s.metric, s.rule, s.value, s.baseline, s.sd, s.change_pct, s.description, s.size,
         day.campaigns_evaluated
  FROM shown s CROSS JOIN day LEFT JOIN names n ON n.campaign_id = s.campaign_id
  UNION ALL
  -- The day nobody evaluated: one status row, so the sentence can say so.
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0
  FROM day WHERE campaigns_evaluated = 0
)
ORDER BY rule = 'drop' DESC NULLS LAST, size DESC NULLS LAST, campaign_id, metric;
