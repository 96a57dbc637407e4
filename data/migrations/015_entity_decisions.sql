-- Decisions and alerts are kept per entity (METRICS.md "Levels"): a campaign, or an ad set where the
-- budget lives there. DuckDB cannot change a primary key in place, so both tables are rebuilt; the
-- rows already stored were all campaign decisions: entity_type 'campaign', entity_id = campaign_id.
CREATE TABLE decisions_by_entity (
  as_of          DATE NOT NULL,
  entity_type    VARCHAR NOT NULL,
  entity_id      VARCHAR NOT NULL,
  campaign_id    VARCHAR NOT NULL,
  -- null for a campaign
  adset_id       VARCHAR,
  -- ad sets only: broad | lookalike | interest | retargeting, and strategis | allocated
  audience_type  VARCHAR,
  revenue_source VARCHAR,
  owner          VARCHAR NOT NULL,
  bucket         VARCHAR NOT NULL,
  trend          VARCHAR NOT NULL,
  recommendation VARCHAR NOT NULL,
  confidence     VARCHAR NOT NULL,
  reason         VARCHAR NOT NULL,
  detail         JSON NOT NULL,
  PRIMARY KEY (as_of, entity_type, entity_id)
);
INSERT INTO decisions_by_entity
SELECT as_of, 'campaign', campaign_id, campaign_id, NULL, NULL, NULL, owner, bucket, trend, recommendation,
       confidence, reason, detail
FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_by_entity RENAME TO decisions;

CREATE TABLE alerts_by_entity (
  as_of                 DATE NOT NULL,
  entity_type           VARCHAR NOT NULL,
  entity_id             VARCHAR NOT NULL,
  campaign_id           VARCHAR NOT NULL,
  adset_id              VARCHAR,
  audience_type         VARCHAR,
  revenue_source        VARCHAR,
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
  -- why no budget change was proposed (no Meta campaign mapped, no daily budget to move, ...)
  note                  VARCHAR,
  PRIMARY KEY (as_of, entity_type, entity_id, type)
);
INSERT INTO alerts_by_entity
SELECT as_of, 'campaign', campaign_id, campaign_id, NULL, NULL, NULL, type, owner, priority, current_roas,
       recommendation, potential_margin_gain, daily_loss, reason, status, status_changed_at, workflow_id, note
FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_by_entity RENAME TO alerts;
