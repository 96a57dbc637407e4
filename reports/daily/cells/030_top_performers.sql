-- Yesterday's ten highest-margin campaigns (margin > 0), with their last 7 days for context.
-- Ties break by campaign_id so the list is stable (METRICS.md). Where the budgets live in the ad
-- sets (meta_adset_state.holds_budget), the campaign row is followed by its ad sets, best first
-- (row_level 'adset', lib/reports/levels.ts): the winner inside an average campaign shows.
-- @title Top performers yesterday
-- @requires daily_campaign_metrics, daily_adset_metrics, meta_adset_state
-- @columns campaign_name:Campaign, owner:Owner, spend:Spend, revenue:Revenue, margin:Margin, roas:ROAS, margin_7d:Margin 7d
-- @limit 10
WITH week AS (
  SELECT campaign_id,
         any_value(campaign_name ORDER BY date DESC) AS campaign_name,
         any_value(owner ORDER BY date DESC) AS owner,
         sum(spend) FILTER (WHERE date = $yesterday) AS spend,
         sum(revenue) FILTER (WHERE date = $yesterday) AS revenue,
         sum(revenue - spend) AS margin_7d
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 6 AND $yesterday
    AND ($owner IS NULL OR owner = $owner)
  GROUP BY campaign_id
),
top AS (
  SELECT *, row_number() OVER (ORDER BY revenue - spend DESC, campaign_id) AS pos
  FROM week
  WHERE revenue - spend > 0
  ORDER BY pos
  LIMIT 10
),
adsets AS (
  SELECT a.campaign_id, a.adset_id,
         any_value(a.adset_name ORDER BY a.date DESC) AS adset_name,
         any_value(a.audience_type ORDER BY a.date DESC) AS audience_type,
         any_value(a.revenue_source) FILTER (WHERE a.date = $yesterday) AS revenue_source,
         sum(a.spend) FILTER (WHERE a.date = $yesterday) AS spend,
         sum(a.revenue) FILTER (WHERE a.date = $yesterday) AS revenue,
         sum(a.margin) AS margin_7d
  FROM daily_adset_metrics a
  JOIN top t ON t.campaign_id = a.campaign_id
  JOIN meta_adset_state s ON s.adset_id = a.adset_id AND s.holds_budget
  WHERE a.date BETWEEN $yesterday - 6 AND $yesterday
  GROUP BY a.campaign_id, a.adset_id
),
rows AS (
  SELECT pos, 0 AS sub, 'campaign' AS row_level, campaign_id, NULL AS adset_id, campaign_name, NULL AS adset_name,
         NULL AS audience_type, NULL AS revenue_source, owner, spend, revenue, margin_7d
  FROM top
  UNION ALL
  SELECT t.pos, row_number() OVER (PARTITION BY a.campaign_id ORDER BY a.revenue - a.spend DESC, a.adset_id),
         'adset', a.campaign_id, a.adset_id, t.campaign_name, a.adset_name, a.audience_type, a.revenue_source, t.owner,
         a.spend, a.revenue, a.margin_7d
  FROM adsets a
  JOIN top t ON t.campaign_id = a.campaign_id
  WHERE a.spend IS NOT NULL
)
SELECT row_level, campaign_id, adset_id, campaign_name, adset_name, audience_type, revenue_source, owner,
       spend::DECIMAL(18, 2) AS spend,
       revenue::DECIMAL(18, 2) AS revenue,
       (revenue - spend)::DECIMAL(18, 2) AS margin,
       CASE WHEN spend > 0 THEN round(revenue / spend * 100, 1)::DOUBLE END AS roas,
       margin_7d::DECIMAL(18, 2) AS margin_7d
FROM rows
ORDER BY pos, sub;
