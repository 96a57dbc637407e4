-- The daily spend and revenue behind today's ad-set proposals, for their approval pages: ad sets $1
-- (a list of ids) over [$2, $3], oldest first. The ad set's own rows (strateg.is or allocated), so
-- its page shows its days, not its campaign's.
SELECT adset_id AS id,
       date::VARCHAR AS date,
       spend::VARCHAR AS spend,
       revenue::VARCHAR AS revenue
FROM daily_adset_metrics
WHERE list_contains(from_json($1, '["VARCHAR"]'), adset_id)
  AND date BETWEEN $2::DATE AND $3::DATE
ORDER BY adset_id, date;
