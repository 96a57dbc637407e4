-- The dashboard's per-campaign totals from campaign_window_totals (migration 024), the loader's kept
-- totals of the standard windows: window [$1, $2] (the caller has checked campaign_window_spans holds it),
-- owner $3 or 'all'. The same rows as window_totals_days.sql: a campaign's owner groups are summed, its
-- name is the latest named day's and its owner the latest day's, resolved through campaign_map now.
WITH totals AS MATERIALIZED (
  SELECT t.campaign_id,
         arg_max(t.campaign_name, t.name_date) AS campaign_name,
         arg_max(coalesce(t.file_owner, m.owner, 'unassigned'), t.last_date) AS owner,
         sum(t.spend)::DECIMAL(18, 2) AS spend,
         sum(t.revenue)::DECIMAL(18, 2) AS revenue,
         (sum(t.revenue) - sum(t.spend))::DECIMAL(18, 2) AS margin,
         CASE WHEN sum(t.spend) > 0 THEN round(sum(t.revenue) / sum(t.spend) * 100, 1)::DOUBLE END AS roas,
         sum(t.last_day_spend)::DECIMAL(18, 2) AS last_day_spend
  FROM campaign_window_totals t
  LEFT JOIN campaign_map m ON m.campaign_id = t.campaign_id
  WHERE t.start_date = $1::DATE AND t.end_date = $2::DATE
    AND ($3::VARCHAR = 'all' OR coalesce(t.file_owner, m.owner, 'unassigned') = $3)
  GROUP BY t.campaign_id
)
