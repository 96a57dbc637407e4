-- Ad-set grain (METRICS.md "Levels: where a decision is made"). strateg.is `adset_id` is Meta's ad
-- set id (the tracking link carries {{adset.id}}), so the two sources join on it directly.

-- Meta ad-set state as the hourly spend sync read it: one row per ad set per sync hour, like
-- meta_campaign_snapshots. Budgets are exact DECIMALs in the account currency (NULL on the ad sets
-- of a CBO campaign); spend/purchase_value are "today so far" in the account's report day.
CREATE TABLE meta_adset_snapshots (
  snapshot_hour      TIMESTAMPTZ NOT NULL,
  account_id         VARCHAR NOT NULL,
  meta_campaign_id   VARCHAR NOT NULL,
  adset_id           VARCHAR NOT NULL,
  name               VARCHAR NOT NULL,
  status             VARCHAR NOT NULL,
  effective_status   VARCHAR,
  currency           VARCHAR NOT NULL,
  daily_budget       DECIMAL(18, 2),
  lifetime_budget    DECIMAL(18, 2),
  bid_strategy       VARCHAR,
  optimization_goal  VARCHAR,
  -- learning_stage_info.status: LEARNING, SUCCESS (exited) or FAIL (learning limited)
  learning_status    VARCHAR,
  -- broad | lookalike | interest | retargeting, from the targeting (lib/levels.ts audienceTypeOf)
  audience_type      VARCHAR NOT NULL,
  -- the targeting as Meta returned it, for the approval page and for reclassifying later
  targeting          JSON,
  report_date        DATE NOT NULL,
  spend              DECIMAL(18, 2) NOT NULL DEFAULT 0,
  impressions        BIGINT NOT NULL DEFAULT 0,
  clicks             BIGINT NOT NULL DEFAULT 0,
  purchases          BIGINT NOT NULL DEFAULT 0,
  purchase_value     DECIMAL(18, 2) NOT NULL DEFAULT 0,
  synced_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  insights_synced_at TIMESTAMPTZ,
  PRIMARY KEY (snapshot_hour, adset_id)
);

-- Every ad-set budget or status change seen on Meta (the ad-set cooldown), as meta_campaign_changes.
CREATE VIEW meta_adset_changes AS
WITH ordered AS (
  SELECT s.*,
         lag(s.daily_budget) OVER w AS prev_daily_budget,
         lag(s.lifetime_budget) OVER w AS prev_lifetime_budget,
         lag(s.status) OVER w AS prev_status,
         row_number() OVER w AS n
  FROM meta_adset_snapshots s
  JOIN meta_sync_runs r ON r.snapshot_hour = s.snapshot_hour AND r.finished_at IS NOT NULL
  WINDOW w AS (PARTITION BY s.adset_id ORDER BY s.snapshot_hour)
)
SELECT account_id, meta_campaign_id, adset_id, snapshot_hour AS changed_at,
       prev_daily_budget, daily_budget, prev_lifetime_budget, lifetime_budget, prev_status, status
FROM ordered
WHERE n > 1
  AND (daily_budget IS DISTINCT FROM prev_daily_budget
       OR lifetime_budget IS DISTINCT FROM prev_lifetime_budget
       OR status IS DISTINCT FROM prev_status);

-- Each ad set's latest state from the last completed sync hour that saw it. `holds_budget`: the
-- budget lives on this ad set (the campaign is not CBO), so `level=auto` decides here.
CREATE VIEW meta_adset_state AS
SELECT s.account_id,
       s.meta_campaign_id,
       (SELECT min(m.campaign_id) FROM campaign_map m WHERE m.meta_campaign_id = s.meta_campaign_id) AS campaign_id,
       s.adset_id,
       s.name,
       s.status,
       s.effective_status,
       s.currency,
       s.daily_budget,
       s.lifetime_budget,
       (s.daily_budget IS NOT NULL OR s.lifetime_budget IS NOT NULL) AS holds_budget,
       s.bid_strategy,
       s.optimization_goal,
       s.learning_status,
       s.audience_type,
       s.targeting,
       s.report_date,
       s.spend,
       s.purchase_value,
       s.snapshot_hour AS as_of_hour,
       CASE WHEN s.daily_budget > 0 THEN round(s.spend / s.daily_budget, 4) END AS pacing,
       (SELECT max(c.changed_at) FROM meta_adset_changes c WHERE c.adset_id = s.adset_id) AS last_changed_at
FROM meta_adset_snapshots s
JOIN meta_sync_runs r ON r.snapshot_hour = s.snapshot_hour AND r.finished_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.adset_id ORDER BY s.snapshot_hour DESC) = 1;

-- Meta's numbers for each ad set and report day: the last completed sync hour of that day.
CREATE VIEW meta_adset_days AS
SELECT s.report_date AS date, s.account_id, s.meta_campaign_id, s.adset_id, s.name, s.status,
       (s.daily_budget IS NOT NULL OR s.lifetime_budget IS NOT NULL) AS holds_budget,
       s.spend, s.purchase_value
FROM meta_adset_snapshots s
JOIN meta_sync_runs r ON r.snapshot_hour = s.snapshot_hour AND r.finished_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.adset_id, s.report_date ORDER BY s.snapshot_hour DESC) = 1;

-- The ad-set grain beside daily_campaign_metrics (which is unchanged). strateg.is `level = adset`
-- rows as they are (revenue_source 'strategis'); for a campaign day with only a campaign row whose
-- ad sets hold the budgets, the row split over those ad sets (revenue_source 'allocated'): revenue
-- in proportion to Meta's purchase value that day, or to Meta's spend when Meta shows none, and
-- spend in proportion to Meta's spend, so the ad sets sum to the campaign (to the cent's rounding).
CREATE VIEW daily_adset_metrics AS
WITH campaign_meta AS (
  SELECT f.*, coalesce(f.meta_campaign_id, m.meta_campaign_id) AS meta_id,
         m.owner AS map_owner, m.category AS map_category
  FROM campaign_daily_facts f
  LEFT JOIN campaign_map m ON m.campaign_id = f.campaign_id
),
reported AS (
  SELECT c.date, c.campaign_id, c.adset_id, c.adset_name, c.campaign_name, c.owner, c.category,
         c.map_owner, c.map_category, c.meta_id, c.spend, c.revenue, c.clicks, c.conversions,
         c.impressions, 'strategis' AS revenue_source
  FROM campaign_meta c
  WHERE c.adset_id <> ''
),
campaign_only AS (
  SELECT c.*
  FROM campaign_meta c
  WHERE c.adset_id = ''
    AND NOT EXISTS (SELECT 1 FROM campaign_daily_facts a
                    WHERE a.date = c.date AND a.campaign_id = c.campaign_id AND a.adset_id <> '')
),
shares AS (
  SELECT c.date, c.campaign_id, d.adset_id, d.name AS adset_name, c.campaign_name, c.owner,
         c.category, c.map_owner, c.map_category, c.meta_id, c.spend AS campaign_spend,
         c.revenue AS campaign_revenue,
         d.spend AS meta_spend, d.purchase_value AS meta_value,
         sum(d.spend) OVER w AS meta_spend_total,
         sum(d.purchase_value) OVER w AS meta_value_total,
         count(*) OVER w AS adsets
  FROM campaign_only c
  JOIN meta_adset_days d ON d.meta_campaign_id = c.meta_id AND d.date = c.date AND d.holds_budget
  WINDOW w AS (PARTITION BY c.date, c.campaign_id)
),
allocated AS (
  SELECT date, campaign_id, adset_id, adset_name, campaign_name, owner, category, map_owner,
         map_category, meta_id,
         CAST(round(campaign_spend * CASE WHEN meta_spend_total > 0 THEN meta_spend / meta_spend_total
                                          ELSE 1.0 / adsets END, 2) AS DECIMAL(18, 2)) AS spend,
         CAST(round(campaign_revenue * CASE WHEN meta_value_total > 0 THEN meta_value / meta_value_total
                                            WHEN meta_spend_total > 0 THEN meta_spend / meta_spend_total
                                            ELSE 1.0 / adsets END, 2) AS DECIMAL(18, 2)) AS revenue,
         CAST(NULL AS BIGINT) AS clicks, CAST(NULL AS BIGINT) AS conversions,
         CAST(NULL AS BIGINT) AS impressions, 'allocated' AS revenue_source
  FROM shares
),
rows AS (
  SELECT * FROM reported
  UNION ALL
  SELECT * FROM allocated
)
SELECT r.date,
       'adset' AS entity_type,
       r.adset_id AS entity_id,
       r.campaign_id,
       r.adset_id,
       coalesce(r.adset_name, s.name, r.adset_id) AS adset_name,
       r.campaign_name,
       r.meta_id AS meta_campaign_id,
       coalesce(r.owner, r.map_owner, 'unassigned') AS owner,
       coalesce(r.category, r.map_category, nullif(split_part(r.campaign_name, '_', 1), '')) AS category,
       coalesce(s.audience_type, 'broad') AS audience_type,
       r.revenue_source,
       r.spend,
       r.revenue,
       CAST(r.revenue - r.spend AS DECIMAL(18, 2)) AS margin,
       CASE WHEN r.spend > 0 THEN round(r.revenue / r.spend * 100, 1) END AS roas,
       r.clicks,
       r.conversions,
       r.impressions
FROM rows r
LEFT JOIN meta_adset_state s ON s.adset_id = r.adset_id;
