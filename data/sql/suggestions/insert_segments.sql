-- $1 as_of, $2 the day's segments as a JSON array (services/decisions/suggestions.ts).
INSERT INTO suggestion_segments
SELECT $1::DATE, s.entity_type, s.entity_id, s.type, s.segment, s.breakdown, s.account_id,
       s.meta_campaign_id, s.window_days, s.spend::DECIMAL(18, 2),
       s.purchase_value::DECIMAL(18, 2), s.roas, s.entity_roas, s.days_lost, s.evidence::JSON
FROM (
  SELECT unnest(from_json($2, '[{"entity_type":"VARCHAR","entity_id":"VARCHAR","type":"VARCHAR","segment":"VARCHAR","breakdown":"VARCHAR","account_id":"VARCHAR","meta_campaign_id":"VARCHAR","window_days":"INTEGER","spend":"VARCHAR","purchase_value":"VARCHAR","roas":"DOUBLE","entity_roas":"DOUBLE","days_lost":"INTEGER","evidence":"VARCHAR"}]')) AS s
);
