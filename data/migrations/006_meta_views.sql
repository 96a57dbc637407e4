-- Views over the Meta snapshots that join the strateg.is campaign map (migration 002) at query
-- time, so a mapping set after a sync applies at once.

-- Every budget or status change seen on Meta: a completed snapshot whose daily/lifetime budget or
-- status differs from the campaign's previous snapshot. changed_at is the hour it was first seen
-- (the change happened at most an hour before it), which errs on the side of a longer cooldown.
CREATE VIEW meta_campaign_changes AS
WITH ordered AS (
  SELECT s.*,
         lag(s.daily_budget) OVER w AS prev_daily_budget,
         lag(s.lifetime_budget) OVER w AS prev_lifetime_budget,
         lag(s.status) OVER w AS prev_status,
         row_number() OVER w AS n
  FROM meta_campaign_snapshots s
  JOIN meta_sync_runs r ON r.snapshot_hour = s.snapshot_hour AND r.finished_at IS NOT NULL
  WINDOW w AS (PARTITION BY s.meta_campaign_id ORDER BY s.snapshot_hour)
)
SELECT account_id, meta_campaign_id, snapshot_hour AS changed_at,
       prev_daily_budget, daily_budget, prev_lifetime_budget, lifetime_budget, prev_status, status
FROM ordered
WHERE n > 1
  AND (daily_budget IS DISTINCT FROM prev_daily_budget
       OR lifetime_budget IS DISTINCT FROM prev_lifetime_budget
       OR status IS DISTINCT FROM prev_status);

-- Each campaign's latest state from the last completed sync hour that saw it: pacing (spend so far
-- against the daily budget) and when its budget or status last changed (the alert cooldown).
CREATE VIEW meta_campaign_state AS
SELECT s.account_id,
       s.meta_campaign_id,
       (SELECT min(m.campaign_id) FROM campaign_map m WHERE m.meta_campaign_id = s.meta_campaign_id) AS campaign_id,
       s.name,
       s.status,
       s.effective_status,
       s.currency,
       s.daily_budget,
       s.lifetime_budget,
       s.is_cbo,
       s.report_date,
       s.spend,
       s.impressions,
       s.clicks,
       s.purchases,
       s.purchase_value,
       s.snapshot_hour AS as_of_hour,
       CASE WHEN s.daily_budget > 0 THEN round(s.spend / s.daily_budget, 4) END AS pacing,
       (SELECT max(c.changed_at) FROM meta_campaign_changes c WHERE c.meta_campaign_id = s.meta_campaign_id) AS last_changed_at
FROM meta_campaign_snapshots s
JOIN meta_sync_runs r ON r.snapshot_hour = s.snapshot_hour AND r.finished_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.meta_campaign_id ORDER BY s.snapshot_hour DESC) = 1;
