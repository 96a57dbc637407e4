-- Rebuilds dashboard_campaigns (migration 026) for the day $1 whose decisions and alerts this transaction
-- has just stored: one resolved, flagged and ranked row per window of campaign_window_totals, scope and
-- campaign. Only the latest stored day is kept (the rows of an older one are rebuilt when it is stored).
-- Each row is what window_totals_kept.sql and dashboard_campaigns.sql compute per request for that scope.
DELETE FROM dashboard_campaigns;
INSERT INTO dashboard_campaigns
WITH resolved AS (
  SELECT t.*, coalesce(t.file_owner, m.owner, 'unassigned') AS resolved_owner
  FROM campaign_window_totals t
  LEFT JOIN campaign_map m ON m.campaign_id = t.campaign_id
),
totals AS (
  SELECT start_date, end_date,
         CASE WHEN grouping(resolved_owner) = 0 THEN resolved_owner END AS scope,
         campaign_id,
         arg_max(campaign_name, name_date) AS campaign_name,
         arg_max(resolved_owner, last_date) AS owner,
         sum(spend)::DECIMAL(18, 2) AS spend,
         sum(revenue)::DECIMAL(18, 2) AS revenue,
         (sum(revenue) - sum(spend))::DECIMAL(18, 2) AS margin,
         CASE WHEN sum(spend) > 0 THEN round(sum(revenue) / sum(spend) * 100, 1)::DOUBLE END AS roas,
         sum(last_day_spend)::DECIMAL(18, 2) AS last_day_spend
  FROM resolved
  GROUP BY GROUPING SETS ((start_date, end_date, campaign_id), (start_date, end_date, campaign_id, resolved_owner))
),
-- An alert that would raise the budget (a margin gain): the `scaling` filter and scaling_opportunities.
budget_raises AS (
  SELECT DISTINCT campaign_id FROM alerts WHERE as_of = $1::DATE AND potential_margin_gain IS NOT NULL
)
SELECT $1::DATE, t.start_date, t.end_date, t.scope, t.campaign_id, t.campaign_name, t.owner, t.spend, t.revenue,
       t.margin, t.roas, t.last_day_spend, s.campaign_id IS NOT NULL, coalesce(d.recommendation, 'hold'),
       row_number() OVER (PARTITION BY t.start_date, t.end_date, t.scope
                          ORDER BY t.margin DESC, t.campaign_id || '/' || t.campaign_id),
       row_number() OVER (PARTITION BY t.start_date, t.end_date, t.scope ORDER BY t.margin DESC, t.campaign_id || '/')
FROM totals t
LEFT JOIN budget_raises s ON s.campaign_id = t.campaign_id
LEFT JOIN decisions d ON d.as_of = $1::DATE AND d.entity_type = 'campaign' AND d.entity_id = t.campaign_id
-- Sorted as read (one window and scope at a time): DuckDB skips the other row groups by their min/max.
ORDER BY t.start_date, t.end_date, t.scope NULLS FIRST, 15;
