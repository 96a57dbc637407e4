-- Append-only record of every proposal, decision, write and outcome. Rows are chained by hash
-- (each row's hash covers the previous row's), so an edit made outside scaleflow shows up in
-- `scaleflow audit --verify`; inside scaleflow the warehouse refuses UPDATE/DELETE on it.
CREATE SEQUENCE audit_log_seq START 1;
CREATE TABLE audit_log (
  seq          BIGINT PRIMARY KEY DEFAULT nextval('audit_log_seq'),
  recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  event        VARCHAR NOT NULL,
  workflow_id  VARCHAR NOT NULL,
  run_id       VARCHAR NOT NULL,
  campaign_id  VARCHAR NOT NULL,
  owner        VARCHAR NOT NULL,
  actor        VARCHAR,
  actor_ip     VARCHAR,
  actor_agent  VARCHAR,
  details      JSON NOT NULL,
  prev_hash    VARCHAR NOT NULL,
  hash         VARCHAR NOT NULL
);
-- One row per workflow and event: an activity retried after a lost answer does not log twice.
CREATE UNIQUE INDEX audit_log_once ON audit_log (workflow_id, run_id, event);

CREATE TABLE outcome_checks (
  workflow_id      VARCHAR PRIMARY KEY,
  campaign_id      VARCHAR NOT NULL,
  owner            VARCHAR NOT NULL,
  change_type      VARCHAR NOT NULL,
  rule             VARCHAR NOT NULL,
  change_date      DATE NOT NULL,
  checked_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  baseline_spend   DECIMAL(18, 2) NOT NULL,
  baseline_revenue DECIMAL(18, 2) NOT NULL,
  baseline_margin  DECIMAL(18, 2) NOT NULL,
  baseline_roas    DOUBLE,
  outcome_spend    DECIMAL(18, 2) NOT NULL,
  outcome_revenue  DECIMAL(18, 2) NOT NULL,
  outcome_margin   DECIMAL(18, 2) NOT NULL,
  outcome_roas     DOUBLE,
  delta_margin     DECIMAL(18, 2) NOT NULL,
  delta_revenue    DECIMAL(18, 2) NOT NULL,
  delta_roas       DOUBLE,
  is_improving     BOOLEAN NOT NULL,
  was_right        BOOLEAN NOT NULL
);

-- Executed budget or status changes, for the cooldown and the launches' time to decision.
CREATE VIEW executed_changes AS
SELECT workflow_id, campaign_id, owner, recorded_at, event, details
FROM audit_log
WHERE event = 'written';
