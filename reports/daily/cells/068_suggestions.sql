-- Today's suggestions from the breakdown rules (rules/default-*-suggestion.yaml): one row per
-- segment named, with the numbers the rule read. A suggestion that maps to a Meta write has a
-- proposal through approval (status acted); one that does not says why (alerts.note: shown, not
-- written).
-- @title Suggestions from Meta breakdowns
-- @requires alerts, suggestion_segments
-- @columns owner:Owner, entity:Ad set or campaign, type:Suggestion, segment:Placement / hour / audience, spend:Spend, purchase_value:Meta purchase value, roas:ROAS, entity_roas:Its entity's ROAS, days_lost:Days lost, action:What happens
-- @limit 30
SELECT a.owner, CASE WHEN a.entity_type = 'adset' THEN 'ad set ' || a.entity_id ELSE a.campaign_id END AS entity,
       a.type, g.segment, g.spend, g.purchase_value, g.roas, g.entity_roas, g.days_lost || ' of ' || g.window_days AS days_lost,
       coalesce(a.note, CASE WHEN a.workflow_id IS NOT NULL THEN 'proposed for approval' ELSE 'open' END) AS action
FROM alerts a
JOIN suggestion_segments g ON g.as_of = a.as_of AND g.entity_type = a.entity_type AND g.entity_id = a.entity_id
  AND g.type = a.type
WHERE a.as_of = $as_of AND ($owner IS NULL OR a.owner = $owner)
ORDER BY a.owner, a.type, a.entity_id, g.segment;
