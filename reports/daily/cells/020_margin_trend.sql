-- Margin per owner per day over the 30 days ending yesterday. Every owner with a row in the window
-- gets all 30 days (a day without rows is zero), so the lines do not skip days.
-- @title Margin trend, last 30 days
-- @requires daily_campaign_metrics
-- @display none
WITH days AS (
  SELECT CAST(d AS DATE) AS date FROM generate_series(CAST($yesterday AS TIMESTAMP) - INTERVAL 29 DAY, CAST($yesterday AS TIMESTAMP), INTERVAL 1 DAY) AS t(d)
),
scoped AS (
  SELECT date, owner, spend, revenue
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 29 AND $yesterday
    AND ($owner IS NULL OR owner = $owner)
),
owners AS (SELECT DISTINCT owner FROM scoped),
daily AS (SELECT date, owner, sum(spend) AS spend, sum(revenue) AS revenue FROM scoped GROUP BY date, owner)
SELECT days.date,
       owners.owner,
       coalesce(daily.spend, 0)::DECIMAL(18, 2) AS spend,
       coalesce(daily.revenue, 0)::DECIMAL(18, 2) AS revenue,
       coalesce(daily.revenue - daily.spend, 0)::DECIMAL(18, 2) AS margin
FROM days
CROSS JOIN owners
LEFT JOIN daily ON daily.date = days.date AND daily.owner = owners.owner
ORDER BY owners.owner, days.date;
