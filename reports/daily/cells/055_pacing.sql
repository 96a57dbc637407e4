-- Pacing today, from the Meta sync's latest completed hour (view meta_campaign_state, migration 006):
-- spend so far against the daily budget, and against the share of the day gone by that hour. The
-- day is the ad account's own (report_date, in its time zone from meta_accounts; $tz until the sync
-- first records the account); the share counts to the start of the sync hour. A campaign counts as
-- synced today when its snapshot was taken on the team's day $as_of (in $tz). A
-- campaign is over pace when it has spent more than 1.25x the day's share of its budget, under pace
-- below 0.75x (before 02:00 it is too early to say), spent out once spend reaches the budget (Meta
-- stops delivering). Campaigns under lifetime or ad-set budgets have no daily budget to pace against.
-- Owners come from the campaign map (an unmapped Meta campaign is "unassigned": team report only).
-- Money is the ad account's own (the row's currency): rows are never summed across currencies.
-- @title Pacing today
-- @requires meta_campaign_state, meta_accounts, campaign_map, daily_campaign_metrics
-- @columns campaign_name:Campaign, pace:Pace, spend_today:Spent today, daily_budget:Daily budget, spent_pct:Spent, owner:Owner, synced_at:As of, time_zone:Time zone
WITH recent AS (
  -- Names and owners as the last 30 days of strateg.is rows have them (bounded, so the view only
  -- aggregates those days).
  SELECT campaign_id, arg_max(owner, date) AS owner, arg_max(campaign_name, date) AS campaign_name
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 29 AND $yesterday
  GROUP BY campaign_id
),
state AS (
  SELECT s.*,
         coalesce(m.owner, r.owner, 'unassigned') AS campaign_owner,
         r.campaign_name AS strategis_name,
         coalesce(a.time_zone, $tz) AS zone,
         epoch(s.as_of_hour - timezone(coalesce(a.time_zone, $tz), CAST(s.report_date AS TIMESTAMP))) / 86400.0 AS day_share,
         CAST(timezone($tz, s.as_of_hour) AS DATE) = $as_of AS synced_today
  FROM meta_campaign_state s
  LEFT JOIN meta_accounts a ON a.account_id = s.account_id
  LEFT JOIN campaign_map m ON m.campaign_id = s.campaign_id
  LEFT JOIN recent r ON r.campaign_id = s.campaign_id
),
judged AS (
  SELECT *,
         CASE WHEN daily_budget > 0 THEN spend / daily_budget END AS budget_share,
         CASE
           WHEN daily_budget IS NULL OR daily_budget <= 0 THEN 'no daily budget'
           WHEN status <> 'ACTIVE' THEN lower(status)
           WHEN NOT synced_today THEN 'no sync today'
           WHEN spend >= daily_budget THEN 'spent out'
           WHEN day_share < 2 / 24 THEN 'too early'
           WHEN spend / daily_budget > 1.25 * day_share THEN 'over pace'
           WHEN spend / daily_budget < 0.75 * day_share THEN 'under pace'
           ELSE 'on pace'
         END AS pace
  FROM state
  WHERE $owner IS NULL OR campaign_owner = $owner
)
SELECT campaign_id,
       meta_campaign_id,
       coalesce(strategis_name, name) AS campaign_name,
       campaign_owner AS owner,
       status,
       CAST(spend AS DECIMAL(18, 2)) AS spend_today,
       CAST(daily_budget AS DECIMAL(18, 2)) AS daily_budget,
       currency,
       round(budget_share * 100, 1)::DOUBLE AS spent_pct,
       round(day_share * 100, 1)::DOUBLE AS day_pct,
       pace,
       report_date,
       synced_today,
       strftime(timezone(zone, as_of_hour), '%H:%M') AS synced_at,
       zone AS time_zone
FROM judged
ORDER BY CASE pace WHEN 'spent out' THEN 0 WHEN 'over pace' THEN 1 WHEN 'under pace' THEN 2 WHEN 'on pace' THEN 3 ELSE 4 END,
         budget_share DESC NULLS LAST,
         campaign_name;
