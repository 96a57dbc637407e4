-- The strateg.is daily report: archived raw files, one batch per load, the fact table, what each
-- load restated or quarantined, and the campaign map. Money is DECIMAL so cents stay exact.

-- Every input file, archived unchanged under its sha256 before it is parsed.
CREATE TABLE raw_files (
  sha256        VARCHAR PRIMARY KEY,
  bytes         BIGINT NOT NULL,
  received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  source        VARCHAR NOT NULL,
  original_name VARCHAR NOT NULL,
  archive_path  VARCHAR NOT NULL
);

CREATE TABLE ingest_batches (
  batch_id    VARCHAR PRIMARY KEY,
  sha256      VARCHAR NOT NULL,
  file        VARCHAR NOT NULL,
  source      VARCHAR NOT NULL,
  as_of       DATE NOT NULL,
  started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  -- loaded, or rejected (not a strateg.is report: nothing loaded, error says why)
  status      VARCHAR NOT NULL,
  error       VARCHAR,
  -- how the rows were read: sql (DuckDB read_csv) or rows (csv-parse + zod, for irregular files)
  parser      VARCHAR,
  data_lines  BIGINT NOT NULL DEFAULT 0,
  accepted    BIGINT NOT NULL DEFAULT 0,
  quarantined BIGINT NOT NULL DEFAULT 0,
  skipped     BIGINT NOT NULL DEFAULT 0,
  inserted    BIGINT NOT NULL DEFAULT 0,
  restated    BIGINT NOT NULL DEFAULT 0
);

-- One row per report date, campaign and ad set (adset_id '' for campaign-level rows). The key
-- (date, campaign_id, adset_id) is kept by the loader (duplicates in a file are quarantined, loads
-- run one at a time and insert only keys not stored yet) rather than by a PRIMARY KEY: DuckDB's
-- index made a million-row load twice as slow and cannot be updated twice in one transaction.
CREATE TABLE campaign_daily_facts (
  date             DATE NOT NULL,
  campaign_id      VARCHAR NOT NULL,
  adset_id         VARCHAR NOT NULL DEFAULT '',
  campaign_name    VARCHAR,
  adset_name       VARCHAR,
  -- as the file said (lower-cased); NULL falls back to the campaign map in the view
  owner            VARCHAR,
  category         VARCHAR,
  spend            DECIMAL(18, 2) NOT NULL,
  revenue          DECIMAL(18, 2) NOT NULL,
  clicks           BIGINT,
  conversions      BIGINT,
  impressions      BIGINT,
  sessions         BIGINT,
  account_id       VARCHAR,
  meta_campaign_id VARCHAR,
  is_reconciled    BOOLEAN NOT NULL DEFAULT true,
  batch_id         VARCHAR NOT NULL,
  loaded_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A stored row that a later file changed: the old and new values and the batch that changed them.
CREATE TABLE restatements (
  batch_id          VARCHAR NOT NULL,
  previous_batch_id VARCHAR NOT NULL,
  date              DATE NOT NULL,
  campaign_id       VARCHAR NOT NULL,
  adset_id          VARCHAR NOT NULL,
  old_spend         DECIMAL(18, 2) NOT NULL,
  new_spend         DECIMAL(18, 2) NOT NULL,
  old_revenue       DECIMAL(18, 2) NOT NULL,
  new_revenue       DECIMAL(18, 2) NOT NULL,
  old_values        JSON NOT NULL,
  new_values        JSON NOT NULL,
  restated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE quarantine_rows (
  batch_id VARCHAR NOT NULL,
  sha256   VARCHAR NOT NULL,
  file     VARCHAR NOT NULL,
  line     BIGINT NOT NULL,
  reason   VARCHAR NOT NULL,
  raw      VARCHAR NOT NULL
);

-- strateg.is campaign -> Meta campaign, owner and category. Seeded from data/campaign-map.csv,
-- edited with `scaleflow map set`, and filled with Meta ids the reports carry.
CREATE TABLE campaign_map (
  campaign_id      VARCHAR PRIMARY KEY,
  meta_campaign_id VARCHAR,
  owner            VARCHAR,
  category         VARCHAR,
  account_id       VARCHAR,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The campaign grain every other part of scaleflow reads: ad-set rows roll up to their campaign.
CREATE VIEW daily_campaign_metrics AS
WITH rolled AS (
  SELECT
    f.date,
    f.campaign_id,
    max(f.campaign_name) AS campaign_name,
    max(f.owner) AS file_owner,
    max(f.category) AS file_category,
    CAST(sum(f.spend) AS DECIMAL(18, 2)) AS spend,
    CAST(sum(f.revenue) AS DECIMAL(18, 2)) AS revenue,
    CAST(sum(f.clicks) AS BIGINT) AS clicks,
    CAST(sum(f.conversions) AS BIGINT) AS conversions,
    CAST(sum(f.impressions) AS BIGINT) AS impressions
  FROM campaign_daily_facts f
  GROUP BY f.date, f.campaign_id
)
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
FROM rolled r
LEFT JOIN campaign_map m ON m.campaign_id = r.campaign_id;

CREATE VIEW quarantine AS
SELECT file, line, reason, raw FROM quarantine_rows;
