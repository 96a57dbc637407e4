-- The day's ($1) open suggestion alerts of the types $2 (JSON list) that no change was proposed
-- for yet, each with its segments (JSON) and its ad set's last synced state.
SELECT a.entity_type, a.entity_id, a.campaign_id, a.type, a.owner, a.reason, a.audience_type,
       coalesce((SELECT any_value(f.campaign_name ORDER BY f.date DESC) FROM campaign_daily_facts f
                 WHERE f.campaign_id = a.campaign_id), '') AS campaign_name,
       any_value(g.account_id) AS account_id, any_value(g.meta_campaign_id) AS meta_campaign_id,
       any_value(s.name) AS adset_name, any_value(s.lifetime_budget IS NOT NULL) AS lifetime_budget,
       to_json(list({'segment': g.segment, 'window_days': g.window_days, 'spend': g.spend::VARCHAR,
                     'purchase_value': g.purchase_value::VARCHAR, 'roas': g.roas, 'entity_roas': g.entity_roas,
                     'days_lost': g.days_lost} ORDER BY g.segment))::VARCHAR AS segments
FROM alerts a
JOIN suggestion_segments g ON g.as_of = a.as_of AND g.entity_type = a.entity_type AND g.entity_id = a.entity_id
  AND g.type = a.type
LEFT JOIN meta_adset_state s ON a.entity_type = 'adset' AND s.adset_id = a.entity_id
WHERE a.as_of = $1::DATE AND a.status = 'open' AND a.workflow_id IS NULL
  AND list_contains(from_json($2, '["VARCHAR"]'), a.type)
GROUP BY ALL
ORDER BY a.type, a.entity_type, a.entity_id;
