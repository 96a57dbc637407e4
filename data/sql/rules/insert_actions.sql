-- Every action of one evaluation in one statement ($2: a JSON array of rows).
INSERT INTO rule_actions
  (evaluation_id, rule_id, campaign_id, action_index, kind, as_of, planned_at, status, owner, unattended, workflow_id,
   detail, plan, evidence, entity_type, entity_id, adset_id)
SELECT $1, a.rule_id, a.campaign_id, a.action_index, a.kind, a.as_of::DATE, make_timestamptz(a.planned_ms::BIGINT * 1000),
       a.status, a.owner, a.unattended, NULL, a.detail, a.plan::JSON, a.evidence::JSON, a.entity_type, a.entity_id, a.adset_id
FROM (SELECT unnest(from_json($2::JSON, '[{"rule_id":"VARCHAR","campaign_id":"VARCHAR","entity_type":"VARCHAR","entity_id":"VARCHAR","adset_id":"VARCHAR","action_index":"INTEGER","kind":"VARCHAR","as_of":"VARCHAR","planned_ms":"DOUBLE","status":"VARCHAR","owner":"VARCHAR","unattended":"BOOLEAN","detail":"VARCHAR","plan":"VARCHAR","evidence":"VARCHAR"}]'), recursive := true)) a;
