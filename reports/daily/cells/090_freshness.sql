-- Is yesterday loaded? The newest day in the warehouse (any owner: the source is shared), how many
-- days it lags yesterday, and the campaigns that spent the day before yesterday but have no row
-- for yesterday (a partial load looks like this).
-- @title Data freshness
-- @requires daily_campaign_metrics
-- @columns latest_date:Latest day loaded, days_behind:Days behind, campaigns_yesterday:Campaigns yesterday, missing_yesterday:Missing yesterday
WITH latest AS (
  SELECT max(date) AS latest_date FROM daily_campaign_metrics WHERE date <= $yesterday
),
before AS (
  SELECT DISTINCT campaign_id FROM daily_campaign_metrics
  WHERE date = $yesterday - 1 AND spend > 0 AND ($owner IS NULL OR owner = $owner)
),
yest AS (
  SELECT DISTINCT campaign_id FROM daily_campaign_metrics
  WHERE date = $yesterday AND ($owner IS NULL OR owner = $owner)
)
SELECT latest.latest_date,
       CASE WHEN latest.latest_date IS NULL THEN NULL ELSE ($yesterday - latest.latest_date)::INTEGER END AS days_behind,
       (SELECT count(*) FROM yest)::INTEGER AS campaigns_yesterday,
       (SELECT count(*) FROM before WHERE campaign_id NOT IN (SELECT campaign_id FROM yest))::INTEGER AS missing_yesterday
FROM latest;
