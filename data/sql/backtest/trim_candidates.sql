-- Campaigns the day's ($1) decisions hold with confidence although their 7-day roas is under $2
-- percent: spending past the point where the next dollar pays, the optimiser's trim candidates
-- (campaigns: the optimiser moves campaign budgets).
SELECT campaign_id, owner, (detail->>'roas_7d')::DOUBLE AS roas_7d
FROM decisions
WHERE as_of = $1::DATE
  AND entity_type = 'campaign'
  AND recommendation = 'hold'
  AND confidence = 'high'
  AND (detail->>'roas_7d')::DOUBLE < $2
ORDER BY campaign_id;
