-- The daily spend and revenue behind today's proposals, for their approval pages: campaigns $1 (a
-- list of ids) over [$2, $3], oldest first. One row per campaign and day (the view rolls ad sets up).
SELECT campaign_id AS id,
       date::VARCHAR AS date,
       spend::VARCHAR AS spend,
       revenue::VARCHAR AS revenue
FROM daily_campaign_metrics
WHERE list_contains(from_json($1, '["VARCHAR"]'), campaign_id)
  AND date BETWEEN $2::DATE AND $3::DATE
ORDER BY campaign_id, date;
