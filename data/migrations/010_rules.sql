-- User-defined rules (rules/*.yaml): one row per rule per evaluation, and one per action it
-- planned, so the API, the report and the rules' own limits and cooldowns read the same history.
-- Keyed by the evaluation (the rulesEvaluation workflow id), so a retried activity rewrites its
-- rows instead of adding more.
CREATE TABLE rule_executions (
  evaluation_id VARCHAR NOT NULL,
  rule_id       VARCHAR NOT NULL,
  as_of         DATE NOT NULL,
  started_at    TIMESTAMPTZ NOT NULL,
  duration_ms   INTEGER NOT NULL,
  dry_run       BOOLEAN NOT NULL,
  checked       INTEGER NOT NULL,
  matched       INTEGER NOT NULL,
  -- budgetChange proposals started (awaiting approval) and actions taken without one
  proposed      INTEGER NOT NULL DEFAULT 0,
  taken         INTEGER NOT NULL DEFAULT 0,
  errors        JSON NOT NULL DEFAULT '[]',
  PRIMARY KEY (evaluation_id, rule_id)
);

CREATE TABLE rule_actions (
  evaluation_id VARCHAR NOT NULL,
  rule_id       VARCHAR NOT NULL,
  campaign_id   VARCHAR NOT NULL,
  action_index  INTEGER NOT NULL,
  kind          VARCHAR NOT NULL,
  as_of         DATE NOT NULL,
  planned_at    TIMESTAMPTZ NOT NULL,
  -- planned -> proposed | unattended | sent | copied | existing | failed; or dry_run, limited,
  -- cooling_down, overruled, skipped as the evaluation decided
  status        VARCHAR NOT NULL,
  owner         VARCHAR NOT NULL,
  unattended    BOOLEAN NOT NULL,
  workflow_id   VARCHAR,
  detail        VARCHAR NOT NULL,
  plan          JSON NOT NULL,
  evidence      JSON NOT NULL,
  PRIMARY KEY (evaluation_id, rule_id, campaign_id, action_index)
);
