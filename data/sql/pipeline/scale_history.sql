-- Daily spend and revenue in [$1, $2] of the campaigns ($3) and ad sets ($4), JSON lists of ids:
-- the days a scale-up's step is sized on (lib/optimizer/scale-step.ts). An ad set is keyed by its own id.
SELECT campaign_id AS entity_id, date::VARCHAR AS date,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_campaign_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
  AND list_contains(from_json($3, '["VARCHAR"]'), campaign_id)
UNION ALL
SELECT adset_id AS entity_id, date::VARCHAR AS date,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
  AND list_contains(from_json($4, '["VARCHAR"]'), adset_id)
ORDER BY entity_id, date;
