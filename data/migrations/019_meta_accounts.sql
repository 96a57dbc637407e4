-- Each ad account as Meta describes it (issue 21): its currency and its own time zone
-- (timezone_name), upserted by the hourly spend sync before it reads the account's pages. Every
-- day cut for an account (the snapshots' report_date, pacing, today's numbers) is in this zone;
-- config TZ stays the team's clock (the daily pipeline's schedule, the strateg.is day).
CREATE TABLE meta_accounts (
  account_id VARCHAR PRIMARY KEY,
  currency   VARCHAR NOT NULL,
  time_zone  VARCHAR NOT NULL,
  seen_hour  TIMESTAMPTZ NOT NULL,
  synced_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Today so far (issue 21), per entity that holds a budget (a CBO campaign, or an ad set with its
-- own budget): its latest completed sync hour, the account's zone (NULL before the account was
-- first recorded: readers fall back to config TZ), and its spend at the completed hour three hours
-- earlier on the same report day, for the delivery-stopped alert (lib/metrics/today.ts).
CREATE VIEW meta_today AS
WITH done AS (
  SELECT snapshot_hour FROM meta_sync_runs WHERE finished_at IS NOT NULL
),
snaps AS (
  SELECT 'campaign' AS entity_type, s.meta_campaign_id AS entity_id, s.meta_campaign_id, s.account_id, s.name,
         s.status, s.currency, s.daily_budget, s.report_date, s.snapshot_hour, s.spend, s.purchase_value
  FROM meta_campaign_snapshots s JOIN done d ON d.snapshot_hour = s.snapshot_hour
  WHERE s.is_cbo
  UNION ALL
  SELECT 'adset' AS entity_type, a.adset_id AS entity_id, a.meta_campaign_id, a.account_id, a.name,
         a.status, a.currency, a.daily_budget, a.report_date, a.snapshot_hour, a.spend, a.purchase_value
  FROM meta_adset_snapshots a JOIN done d ON d.snapshot_hour = a.snapshot_hour
  WHERE a.daily_budget IS NOT NULL OR a.lifetime_budget IS NOT NULL
),
latest AS (
  SELECT * FROM snaps
  QUALIFY row_number() OVER (PARTITION BY entity_type, entity_id ORDER BY snapshot_hour DESC) = 1
)
SELECT l.entity_type, l.entity_id, l.meta_campaign_id, l.account_id, l.name, l.status, l.currency,
       l.daily_budget, l.report_date, l.snapshot_hour AS as_of_hour, l.spend, l.purchase_value,
       a.time_zone, b.spend AS spend_3h_before
FROM latest l
LEFT JOIN meta_accounts a ON a.account_id = l.account_id
LEFT JOIN snaps b ON b.entity_type = l.entity_type AND b.entity_id = l.entity_id
  AND b.snapshot_hour = l.snapshot_hour - INTERVAL 3 HOUR AND b.report_date = l.report_date;
