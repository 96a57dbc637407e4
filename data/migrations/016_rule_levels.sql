-- User rules by level (METRICS.md "Levels"): a rule's action is on a campaign or on one ad set of
-- it. Several ad sets of one campaign can each be acted on in one evaluation, so the key names the
-- entity, not the campaign. DuckDB cannot change a primary key in place: the table is rebuilt, its
-- rows kept as campaign actions (all of them were).
CREATE TABLE rule_actions_016 (
  evaluation_id VARCHAR NOT NULL,
  rule_id       VARCHAR NOT NULL,
  campaign_id   VARCHAR NOT NULL,
  action_index  INTEGER NOT NULL,
  kind          VARCHAR NOT NULL,
  as_of         DATE NOT NULL,
  planned_at    TIMESTAMPTZ NOT NULL,
  status        VARCHAR NOT NULL,
  owner         VARCHAR NOT NULL,
  unattended    BOOLEAN NOT NULL,
  workflow_id   VARCHAR,
  detail        VARCHAR NOT NULL,
  plan          JSON NOT NULL,
  evidence      JSON NOT NULL,
  -- campaign | adset; entity_id is the campaign_id or the Meta ad set id
  entity_type   VARCHAR NOT NULL DEFAULT 'campaign',
  entity_id     VARCHAR NOT NULL,
  adset_id      VARCHAR,
  PRIMARY KEY (evaluation_id, rule_id, entity_type, entity_id, action_index)
);

INSERT INTO rule_actions_016
SELECT evaluation_id, rule_id, campaign_id, action_index, kind, as_of, planned_at, status, owner, unattended,
       workflow_id, detail, plan, evidence, 'campaign', campaign_id, NULL
FROM rule_actions;

DROP TABLE rule_actions;
ALTER TABLE rule_actions_016 RENAME TO rule_actions;
