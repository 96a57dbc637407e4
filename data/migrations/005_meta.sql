-- Meta campaign state as the hourly spend sync read it: one row per campaign per sync hour.
-- Budgets are exact DECIMALs in the account currency (Meta's integer minor units converted at the
-- one boundary, lib/meta/currency.ts); spend/impressions/clicks are "today so far" in the account's
-- report day. Keyed by (hour, campaign): re-running an hour rewrites its rows, never adds any.
CREATE TABLE meta_campaign_snapshots (
  snapshot_hour      TIMESTAMPTZ NOT NULL,
  account_id         VARCHAR NOT NULL,
  meta_campaign_id   VARCHAR NOT NULL,
  name               VARCHAR NOT NULL,
  status             VARCHAR NOT NULL,
  effective_status   VARCHAR,
  currency           VARCHAR NOT NULL,
  daily_budget       DECIMAL(18, 2),
  lifetime_budget    DECIMAL(18, 2),
  -- Campaign budget optimisation: the budget lives on the campaign (else on its ad sets).
  is_cbo             BOOLEAN NOT NULL,
  report_date        DATE NOT NULL,
  spend              DECIMAL(18, 2) NOT NULL DEFAULT 0,
  impressions        BIGINT NOT NULL DEFAULT 0,
  clicks             BIGINT NOT NULL DEFAULT 0,
  purchases          BIGINT NOT NULL DEFAULT 0,
  purchase_value     DECIMAL(18, 2) NOT NULL DEFAULT 0,
  synced_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  insights_synced_at TIMESTAMPTZ,
  PRIMARY KEY (snapshot_hour, meta_campaign_id)
);

-- One row per sync hour; finished_at is set once every page of every account is in, so readers
-- never take a half-read hour for the latest state.
CREATE TABLE meta_sync_runs (
  snapshot_hour TIMESTAMPTZ PRIMARY KEY,
  started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at   TIMESTAMPTZ,
  accounts      INTEGER,
  campaigns     INTEGER,
  insights_rows INTEGER
);
