-- The campaign-day roll-up of campaign_daily_facts, kept by the loader (services/warehouse/campaign-days.ts)
-- for exactly the days and campaigns a load touched, in the load's transaction. The dashboard, launches
-- and the decision engine's rows read it instead of rolling up the facts per request (BENCHMARKS.md
-- "JSON API, uncached"). Owner and category stay unresolved here and are joined from campaign_map when
-- read, as daily_campaign_metrics does, so a mapping set later applies at once without a refresh.
CREATE TABLE campaign_days (
  date          DATE NOT NULL,
  campaign_id   VARCHAR NOT NULL,
  campaign_name VARCHAR,
  file_owner    VARCHAR,
  file_category VARCHAR,
  spend         DECIMAL(18, 2) NOT NULL,
  revenue       DECIMAL(18, 2) NOT NULL,
  clicks        BIGINT,
  conversions   BIGINT,
  impressions   BIGINT
);

-- Sorted by date: the window queries filter on date, and DuckDB skips row groups by their min/max.
INSERT INTO campaign_days
SELECT f.date, f.campaign_id, max(f.campaign_name), max(f.owner), max(f.category),
       CAST(sum(f.spend) AS DECIMAL(18, 2)), CAST(sum(f.revenue) AS DECIMAL(18, 2)),
       CAST(sum(f.clicks) AS BIGINT), CAST(sum(f.conversions) AS BIGINT), CAST(sum(f.impressions) AS BIGINT)
FROM campaign_daily_facts f
GROUP BY f.date, f.campaign_id
ORDER BY f.date, f.campaign_id;

-- daily_campaign_metrics' columns, from the table: test/ingest/campaign-days.test.ts holds them equal row by row.
CREATE VIEW campaign_day_metrics AS
SELECT
  r.date,
  r.campaign_id,
  r.campaign_name,
  coalesce(r.file_owner, m.owner, 'unassigned') AS owner,
  coalesce(r.file_category, m.category, nullif(split_part(r.campaign_name, '_', 1), '')) AS category,
  r.spend,
  r.revenue,
  CAST(r.revenue - r.spend AS DECIMAL(18, 2)) AS margin,
  CASE WHEN r.spend > 0 THEN round(r.revenue / r.spend * 100, 1) END AS roas,
  r.clicks,
  r.conversions,
  r.impressions
FROM campaign_days r
LEFT JOIN campaign_map m ON m.campaign_id = r.campaign_id;

-- What a stored day of decisions (decisions, alerts) was computed from: the dashboard reads them back
-- only while the inputs fingerprint (services/decisions/stored.ts) is the same, and computes otherwise.
CREATE TABLE decision_runs (
  as_of     DATE NOT NULL,
  level     VARCHAR NOT NULL,
  inputs    VARCHAR NOT NULL,
  stored_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (as_of, level)
);

-- Counters bumped in the same transaction as the write they count: `campaign_days` at every refresh.
CREATE TABLE warehouse_versions (
  name    VARCHAR PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO warehouse_versions VALUES ('campaign_days', 1);
