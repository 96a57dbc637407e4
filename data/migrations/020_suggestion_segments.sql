-- The segments a breakdown suggestion names (issue 21): the suggestion itself is one alert per
-- entity and rule (alerts, keyed by entity); its placements, hours or audiences are here, each with
-- the numbers the rule read over its window, so the report, the approval and the write read the
-- same list. Money is Meta's, in the account currency; roas in percent (purchase value / spend).
CREATE TABLE suggestion_segments (
  as_of             DATE NOT NULL,
  entity_type       VARCHAR NOT NULL,
  entity_id         VARCHAR NOT NULL,
  type              VARCHAR NOT NULL,
  segment           VARCHAR NOT NULL,
  breakdown         VARCHAR NOT NULL,
  -- where the entity lives on Meta, for the write a suggestion may map to
  account_id        VARCHAR NOT NULL,
  meta_campaign_id  VARCHAR NOT NULL,
  window_days       INTEGER NOT NULL,
  spend             DECIMAL(18, 2) NOT NULL,
  purchase_value    DECIMAL(18, 2) NOT NULL,
  roas              DOUBLE,
  entity_roas       DOUBLE,
  days_lost         INTEGER NOT NULL,
  evidence          JSON NOT NULL,
  PRIMARY KEY (as_of, entity_type, entity_id, type, segment)
);
