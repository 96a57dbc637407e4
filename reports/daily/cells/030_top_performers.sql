-- Yesterday's ten highest-margin campaigns (margin > 0), with their last 7 days for context.
-- Ties break by campaign_id so the list is stable (METRICS.md).
-- @title Top performers yesterday
-- @requires daily_campaign_metrics
-- @columns campaign_name:Campaign, owner:Owner, spend:Spend, margin:Margin, roas:ROAS, margin_7d:Margin 7d
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
)
SELECT campaign_id, campaign_name, owner,
       spend::DECIMAL(18, 2) AS spend,
       revenue::DECIMAL(18, 2) AS revenue,
       (revenue - spend)::DECIMAL(18, 2) AS margin,
       CASE WHEN spend > 0 THEN round(revenue / spend * 100, 1)::DOUBLE END AS roas,
       margin_7d::DECIMAL(18, 2) AS margin_7d
FROM week
WHERE revenue - spend > 0
ORDER BY revenue - spend DESC, campaign_id
LIMIT 10;
