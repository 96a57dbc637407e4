-- Ad sets the day's ($1) stored decisions hold with confidence although their 7-day roas is under
-- $2 percent: the ad-set trim candidates, decided by the production evaluation (allocated revenue
-- never reaches high confidence there).
SELECT adset_id, campaign_id, audience_type, (detail->>'roas_7d')::DOUBLE AS roas_7d
FROM decisions
WHERE as_of = $1::DATE
  AND entity_type = 'adset'
  AND recommendation = 'hold'
  AND confidence = 'high'
  AND (detail->>'roas_7d')::DOUBLE < $2
ORDER BY adset_id;
