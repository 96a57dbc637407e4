-- Margin by hour of the account's day over the 14 days ending yesterday (issue 21): Meta's
-- purchase value as revenue (not strateg.is's), from the hourly breakdown of finished breakdown
-- days only. Hour h is hourly_stats_aggregated_by_advertiser_time_zone's h:00-h:59. The owner is
-- the campaign map's, by Meta campaign id.
-- @title Margin by hour of day, last 14 days (Meta purchase value as revenue)
-- @requires meta_breakdown_hour, meta_breakdown_runs, campaign_map
-- @display none
WITH scoped AS (
  SELECT h.day, h.hour, h.spend, h.purchase_value,
         coalesce((SELECT max(m.owner) FROM campaign_map m WHERE m.meta_campaign_id = h.meta_campaign_id),
                  'unassigned') AS owner
  FROM meta_breakdown_hour h
  JOIN meta_breakdown_runs r ON r.day = h.day AND r.account_id = h.account_id
  WHERE h.day BETWEEN $yesterday - 13 AND $yesterday
)
SELECT strftime(day, '%Y-%m-%d') AS day, hour,
       sum(spend)::DECIMAL(18, 2) AS spend,
       sum(purchase_value)::DECIMAL(18, 2) AS purchase_value,
       sum(purchase_value - spend)::DECIMAL(18, 2) AS margin
FROM scoped
WHERE $owner IS NULL OR owner = $owner
GROUP BY day, hour
ORDER BY day, hour;
