-- Decisions and alerts the daily pipeline computed, kept so history is visible and the dashboard's
-- `scaling` filter and the report can say which alerts are still open.
CREATE TABLE decisions (
  as_of          DATE NOT NULL,
  campaign_id    VARCHAR NOT NULL,
  owner          VARCHAR NOT NULL,
  bucket         VARCHAR NOT NULL,
  trend          VARCHAR NOT NULL,
  recommendation VARCHAR NOT NULL,
  confidence     VARCHAR NOT NULL,
  reason         VARCHAR NOT NULL,
  detail         JSON NOT NULL,
  PRIMARY KEY (as_of, campaign_id)
);

CREATE TABLE alerts (
  as_of                 DATE NOT NULL,
  campaign_id           VARCHAR NOT NULL,
  type                  VARCHAR NOT NULL,
  owner                 VARCHAR NOT NULL,
  priority              VARCHAR NOT NULL,
  current_roas          DOUBLE,
  recommendation        VARCHAR NOT NULL,
  potential_margin_gain DECIMAL(18, 2),
  daily_loss            DECIMAL(18, 2),
  reason                VARCHAR NOT NULL,
  -- open: waiting for action; acted: a budget change was proposed for it; dismissed: rejected or
  -- expired without approval; expired: a newer day's evaluation no longer raises it.
  status                VARCHAR NOT NULL DEFAULT 'open',
  status_changed_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  workflow_id           VARCHAR,
  PRIMARY KEY (as_of, campaign_id, type)
);
