-- Yesterday's ten biggest losses (margin < 0), with how many of the last 7 days each lost money:
-- one bad day reads differently from a week of them.
-- @title Losing money yesterday
-- @requires daily_campaign_metrics
-- @columns campaign_name:Campaign, owner:Owner, spend:Spend, margin:Margin, roas:ROAS, losing_days_7d:Losing days (7d)
-- @limit 10
WITH week AS (
  SELECT campaign_id,
         any_value(campaign_name ORDER BY date DESC) AS campaign_name,
         any_value(owner ORDER BY date DESC) AS owner,
         sum(spend) FILTER (WHERE date = $yesterday) AS spend,
         sum(revenue) FILTER (WHERE date = $yesterday) AS revenue,
         count(*) FILTER (WHERE revenue < spend) AS losing_days_7d,
         sum(revenue - spend) AS margin_7d
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 6 AND $yesterday
    AND ($owner IS NULL OR owner = $owner)
  GROUP BY campaign_id
)
SELECT campaign_id, campaign_name, owner,
       spend::DECIMAL(18, 2) AS spend,
       revenue::DECIMAL(18, 2) AS revenue,
       (revenue - spend)::DECIMAL(18, 2) AS margin,
       CASE WHEN spend > 0 THEN round(revenue / spend * 100, 1)::DOUBLE END AS roas,
       losing_days_7d::INTEGER AS losing_days_7d,
       margin_7d::DECIMAL(18, 2) AS margin_7d
FROM week
WHERE revenue - spend < 0
ORDER BY revenue - spend, campaign_id
LIMIT 10;
