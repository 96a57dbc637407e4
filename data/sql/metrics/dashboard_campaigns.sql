-- Follows a `totals` CTE (metrics/window_totals_days.sql or metrics/window_totals_kept.sql) and is followed
-- by dashboard_projection.sql: the dashboard's campaign part in one row, so tens of rows leave DuckDB
-- instead of one per campaign: window [$1, $2] (inclusive), owner $3 or 'all', campaign_filter $4
-- (all|active|scaling|losers), the day's stored decisions and alerts $5 (as_of; read only while
-- decision_runs says they are current), and the best $6 campaigns by margin. The rest is
-- lib/metrics/dashboard.ts buildDashboard over campaign_window.sql's totals
-- (test/ingest/dashboard-sql.test.ts holds the answers equal). Ties rank by campaign_id || '/' as
-- buildDashboard's string keys do.
-- An alert that would raise the budget (a margin gain): the `scaling` filter and scaling_opportunities.
budget_raises AS (
  SELECT DISTINCT campaign_id FROM alerts WHERE as_of = $5::DATE AND potential_margin_gain IS NOT NULL
),
scoped AS MATERIALIZED (
  SELECT t.*, s.campaign_id IS NOT NULL AS scaling
  FROM totals t
  LEFT JOIN budget_raises s ON s.campaign_id = t.campaign_id
  WHERE CASE $4::VARCHAR
          WHEN 'active' THEN t.last_day_spend > 0
          WHEN 'scaling' THEN s.campaign_id IS NOT NULL
          WHEN 'losers' THEN t.margin < 0
          ELSE true
        END
),
-- Each owner's two best campaigns with spend (top_campaigns).
owner_best AS (
  SELECT owner, campaign_id, margin, campaign_id || '/' AS tie
  FROM scoped
  WHERE spend > 0
  QUALIFY row_number() OVER (PARTITION BY owner ORDER BY margin DESC, campaign_id || '/') <= 2
),
owners AS (
  SELECT o.*, coalesce((SELECT list(b.campaign_id ORDER BY b.margin DESC, b.tie) FROM owner_best b WHERE b.owner = o.owner),
                       []::VARCHAR[]) AS top_campaigns
  FROM (SELECT owner, sum(spend) AS spend, sum(margin) AS margin,
               count(*) FILTER (WHERE scaling) AS scaling_opportunities
        FROM scoped
        GROUP BY owner) o
),
best AS (
  SELECT s.campaign_id, s.campaign_name, s.owner, s.spend, s.margin, s.roas,
         coalesce(d.recommendation, 'hold') AS recommendation
  FROM scoped s
  LEFT JOIN decisions d ON d.as_of = $5::DATE AND d.entity_type = 'campaign' AND d.entity_id = s.campaign_id
  WHERE s.margin > 0
  ORDER BY s.margin DESC, s.campaign_id || '/' || s.campaign_id
  LIMIT $6
)
