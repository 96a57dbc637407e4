-- Every data row of the file being loaded, validated: reason NULL means accepted. Both readers
-- (DuckDB's read_csv and the csv-parse + zod path) fill this one shape.
CREATE OR REPLACE TEMP TABLE strategis_checked (
  ordinal          BIGINT NOT NULL,
  is_total         BOOLEAN NOT NULL,
  reason           VARCHAR,
  date             DATE,
  campaign_id      VARCHAR,
  adset_id         VARCHAR,
  campaign_name    VARCHAR,
  adset_name       VARCHAR,
  owner            VARCHAR,
  category         VARCHAR,
  spend            DECIMAL(18, 2),
  revenue          DECIMAL(18, 2),
  clicks           BIGINT,
  conversions      BIGINT,
  impressions      BIGINT,
  sessions         BIGINT,
  account_id       VARCHAR,
  meta_campaign_id VARCHAR,
  is_reconciled    BOOLEAN
);
