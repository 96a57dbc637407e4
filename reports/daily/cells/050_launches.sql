-- Campaigns launched in the 7 days ending yesterday (launch = first day with spend > 0, looking
-- at all history) and their first 72 hours: launch day and the two after (METRICS.md Launches).
-- A launch is mature once its third day is complete (on or before yesterday); only then has it a
-- roas_72h and a verdict. Days without rows in those three count as no spend.
-- @title Launches this week
-- @requires daily_campaign_metrics
-- @columns campaign_name:Campaign, owner:Owner, launch_date:Launched, spend_72h:Spend 72h, margin_72h:Margin 72h, roas_72h:ROAS 72h, verdict:Verdict
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
)
SELECT campaign_id, campaign_name, owner, launch_date,
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
FROM first72
WHERE $owner IS NULL OR owner = $owner
ORDER BY launch_date, campaign_id;
