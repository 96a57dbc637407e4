-- Campaigns launched in the 7 days ending yesterday (launch = first day with spend > 0, looking
-- at all history) and their first 72 hours: launch day and the two after (METRICS.md Launches).
-- A launch is mature once its third day is complete (on or before yesterday); only then has it a
-- roas_72h and a verdict. Days without rows in those three count as no spend. Where the budgets
-- live in the ad sets (meta_adset_state.holds_budget), the campaign row is followed by its ad sets
-- over the campaign's same 72 hours, best first (row_level 'adset', lib/reports/levels.ts).
-- @title Launches this week
-- @requires daily_campaign_metrics, daily_adset_metrics, meta_adset_state
-- @columns campaign_name:Campaign, owner:Owner, launch_date:Launched, spend_72h:Spend 72h, revenue_72h:Revenue 72h, margin_72h:Margin 72h, roas_72h:ROAS 72h, verdict:Verdict
WITH launched AS (
  SELECT campaign_id, min(date) AS launch_date
  FROM daily_campaign_metrics
  WHERE spend > 0 AND date <= $yesterday
  GROUP BY campaign_id
  HAVING min(date) BETWEEN $yesterday - 6 AND $yesterday
),
first72 AS (
  SELECT l.campaign_id, l.launch_date,
         any_value(m.campaign_name ORDER BY m.date DESC) AS campaign_name,
         any_value(m.owner ORDER BY m.date DESC) AS owner,
         sum(m.spend) AS spend,
         sum(m.revenue) AS revenue
  FROM launched l
  JOIN daily_campaign_metrics m
    ON m.campaign_id = l.campaign_id AND m.date BETWEEN l.launch_date AND l.launch_date + 2 AND m.date <= $yesterday
  GROUP BY l.campaign_id, l.launch_date
),
shown AS (
  SELECT *, row_number() OVER (ORDER BY launch_date, campaign_id) AS pos
  FROM first72
  WHERE $owner IS NULL OR owner = $owner
),
adsets AS (
  SELECT a.campaign_id, a.adset_id,
         any_value(a.adset_name ORDER BY a.date DESC) AS adset_name,
         any_value(a.audience_type ORDER BY a.date DESC) AS audience_type,
         -- one allocated day in the window makes the 72-hour revenue partly allocated
         CASE WHEN bool_or(a.revenue_source = 'allocated') THEN 'allocated' ELSE 'strategis' END AS revenue_source,
         sum(a.spend) AS spend,
         sum(a.revenue) AS revenue
  FROM daily_adset_metrics a
  JOIN shown c ON c.campaign_id = a.campaign_id
  JOIN meta_adset_state s ON s.adset_id = a.adset_id AND s.holds_budget
  WHERE a.date BETWEEN c.launch_date AND c.launch_date + 2 AND a.date <= $yesterday
  GROUP BY a.campaign_id, a.adset_id
),
rows AS (
  SELECT pos, 0 AS sub, 'campaign' AS row_level, campaign_id, NULL AS adset_id, campaign_name, NULL AS adset_name,
         NULL AS audience_type, NULL AS revenue_source, owner, launch_date, spend, revenue
  FROM shown
  UNION ALL
  SELECT c.pos, row_number() OVER (PARTITION BY a.campaign_id ORDER BY a.revenue - a.spend DESC, a.adset_id),
         'adset', a.campaign_id, a.adset_id, c.campaign_name, a.adset_name, a.audience_type, a.revenue_source, c.owner,
         c.launch_date, a.spend, a.revenue
  FROM adsets a
  JOIN shown c ON c.campaign_id = a.campaign_id
)
SELECT row_level, campaign_id, adset_id, campaign_name, adset_name, audience_type, revenue_source, owner, launch_date,
       spend::DECIMAL(18, 2) AS spend_72h,
       revenue::DECIMAL(18, 2) AS revenue_72h,
       (revenue - spend)::DECIMAL(18, 2) AS margin_72h,
       launch_date + 2 <= $yesterday AS mature,
       CASE WHEN launch_date + 2 <= $yesterday AND spend > 0 THEN round(revenue / spend * 100, 1)::DOUBLE END AS roas_72h,
       CASE
         WHEN launch_date + 2 > $yesterday THEN 'maturing'
         WHEN spend > 0 AND round(revenue / spend * 100, 1) >= 100 THEN 'broke even'
         ELSE 'below break-even'
       END AS verdict
FROM rows
ORDER BY pos, sub;
