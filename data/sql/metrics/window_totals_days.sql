-- The dashboard's per-campaign totals rolled up from campaign_days: window [$1, $2] (inclusive), owner
-- $3 or 'all'; campaign_window.sql's totals. Followed by dashboard_campaigns.sql (dashboard-query.ts).
WITH totals AS MATERIALIZED (
  SELECT campaign_id,
         -- A campaign has one row a day and arg_max skips NULLs: the latest day's non-NULL value, as
         -- campaign_window's any_value(... ORDER BY date DESC), without sorting every campaign's days.
         arg_max(campaign_name, date) AS campaign_name,
         arg_max(owner, date) AS owner,
         sum(spend)::DECIMAL(18, 2) AS spend,
         sum(revenue)::DECIMAL(18, 2) AS revenue,
         (sum(revenue) - sum(spend))::DECIMAL(18, 2) AS margin,
         CASE WHEN sum(spend) > 0 THEN round(sum(revenue) / sum(spend) * 100, 1)::DOUBLE END AS roas,
         coalesce(sum(spend) FILTER (WHERE date = $2::DATE), 0)::DECIMAL(18, 2) AS last_day_spend
  FROM campaign_day_metrics
  WHERE date BETWEEN $1::DATE AND $2::DATE
    AND ($3::VARCHAR = 'all' OR owner = $3)
  GROUP BY campaign_id
)
