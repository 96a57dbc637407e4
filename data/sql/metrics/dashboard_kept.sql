-- The dashboard's campaign part (scoped, owners, best; dashboard_projection.sql follows and sums them), as
-- dashboard_campaigns.sql over window_totals_kept.sql answers it, read from the rows resolved when the day's
-- decisions were stored (dashboard_campaigns, migration 026; the caller has checked they are current and
-- hold the window): window [$1, $2], owner $3 or 'all', campaign_filter $4 (all|active|scaling|losers),
-- stored day $5, the best $6 campaigns by margin. The flags and ranks are columns, so this filters and sums
-- one scope's rows: no join, no ranking per request.
WITH scoped AS MATERIALIZED (
  SELECT campaign_id, campaign_name, owner, spend, revenue, margin, roas, scaling, recommendation, top_rank, owner_rank
  FROM dashboard_campaigns
  WHERE as_of = $5::DATE AND start_date = $1::DATE AND end_date = $2::DATE
    AND scope IS NOT DISTINCT FROM nullif($3::VARCHAR, 'all')
    AND CASE $4::VARCHAR
          WHEN 'active' THEN last_day_spend > 0
          WHEN 'scaling' THEN scaling
          WHEN 'losers' THEN margin < 0
          ELSE true
        END
),
-- Each owner's two best campaigns with spend (top_campaigns): the two smallest owner ranks, in order.
owners AS (
  SELECT owner, sum(spend) AS spend, sum(margin) AS margin,
         count(*) FILTER (WHERE scaling) AS scaling_opportunities,
         coalesce(min_by(campaign_id, owner_rank, 2) FILTER (WHERE spend > 0), []::VARCHAR[]) AS top_campaigns
  FROM scoped
  GROUP BY owner
),
best AS (
  SELECT * FROM scoped WHERE margin > 0 ORDER BY top_rank LIMIT $6
)
