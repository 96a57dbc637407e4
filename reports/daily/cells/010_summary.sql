-- Yesterday against the average day of the 7 days before it (yesterday - 7 .. yesterday - 1), so
-- the baseline does not include the day it is compared with. Days without rows count as zero.
-- Money is averaged to the cent; rates are recomputed from the summed money, never averaged.
-- `change` is the relative change in percent for money and the difference in percentage points
-- for rates (a margin rate from 20% to 22% is "+2.0 pts", not "+10%").
-- @title Yesterday at a glance
-- @requires daily_campaign_metrics
-- @display tiles
WITH scoped AS (
  SELECT date, spend, revenue
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 7 AND $yesterday
    AND ($owner IS NULL OR owner = $owner)
),
y AS (SELECT coalesce(sum(spend), 0) AS spend, coalesce(sum(revenue), 0) AS revenue FROM scoped WHERE date = $yesterday),
b AS (SELECT coalesce(sum(spend), 0) AS spend, coalesce(sum(revenue), 0) AS revenue FROM scoped WHERE date < $yesterday),
metrics AS (
  SELECT 1 AS ord, 'spend' AS metric, 'Spend' AS label, 'usd' AS unit,
         y.spend::DOUBLE AS now, b.spend / 7 AS base, NULL::BOOLEAN AS better FROM y, b
  UNION ALL
  SELECT 2, 'revenue', 'Revenue', 'usd', y.revenue::DOUBLE, b.revenue / 7, true FROM y, b
  UNION ALL
  SELECT 3, 'margin', 'Margin', 'usd', (y.revenue - y.spend)::DOUBLE, (b.revenue - b.spend) / 7, true FROM y, b
  UNION ALL
  SELECT 4, 'margin_rate', 'Margin rate', 'pct',
         CASE WHEN y.spend > 0 THEN (y.revenue - y.spend) / y.spend * 100 END,
         CASE WHEN b.spend > 0 THEN (b.revenue - b.spend) / b.spend * 100 END, true FROM y, b
  UNION ALL
  SELECT 5, 'roas', 'ROAS', 'pct',
         CASE WHEN y.spend > 0 THEN y.revenue / y.spend * 100 END,
         CASE WHEN b.spend > 0 THEN b.revenue / b.spend * 100 END, true FROM y, b
),
rounded AS (
  SELECT ord, metric, label, unit, better,
         round(now, CASE unit WHEN 'usd' THEN 2 ELSE 1 END)::DECIMAL(18, 2) AS yesterday,
         round(base, CASE unit WHEN 'usd' THEN 2 ELSE 1 END)::DECIMAL(18, 2) AS avg_7d
  FROM metrics
)
SELECT metric, label, unit, yesterday, avg_7d,
       CASE
         WHEN yesterday IS NULL OR avg_7d IS NULL THEN NULL
         WHEN unit = 'pct' THEN round(yesterday - avg_7d, 1)::DOUBLE
         WHEN avg_7d = 0 THEN NULL
         ELSE round((yesterday - avg_7d) / abs(avg_7d) * 100, 1)::DOUBLE
       END AS change,
       CASE
         WHEN yesterday IS NULL OR avg_7d IS NULL OR yesterday = avg_7d THEN 'flat'
         WHEN yesterday > avg_7d THEN 'up'
         ELSE 'down'
       END AS direction,
       better,
       (SELECT count(DISTINCT campaign_id) FROM daily_campaign_metrics
         WHERE date = $yesterday AND spend > 0 AND ($owner IS NULL OR owner = $owner))::INTEGER AS active_campaigns
FROM rounded
ORDER BY ord;
