-- Campaigns whose launch (first day with spend > 0, looking at all history up to $2) falls in
-- [$1, $2], with the launch-day margin and the first 72 hours (launch day and the two after).
-- $3 owner or 'all'. The join's rows are bounded to [$1, $2] as constants too (a launch is never
-- before $1): DuckDB skips the other days' row groups of campaign_days (migration 021).
WITH launched AS (
  -- The loader's kept first spend days (migration 026): a campaign whose first spend day is after $2 had
  -- not launched by $2, so the whole history up to $2 need not be grouped per request.
  SELECT campaign_id, launch_date FROM campaign_launches WHERE launch_date BETWEEN $1::DATE AND $2::DATE
)
SELECT l.campaign_id,
       l.launch_date::VARCHAR AS launch_date,
       any_value(m.owner ORDER BY m.date DESC) AS owner,
       any_value(m.category ORDER BY m.date DESC) AS category,
       coalesce(sum(m.revenue - m.spend) FILTER (WHERE m.date = l.launch_date), 0)::DECIMAL(18, 2)::VARCHAR AS first_day_margin,
       coalesce(sum(m.spend), 0)::DECIMAL(18, 2)::VARCHAR AS spend_72h,
       coalesce(sum(m.revenue), 0)::DECIMAL(18, 2)::VARCHAR AS revenue_72h
FROM launched l
JOIN campaign_day_metrics m
  ON m.campaign_id = l.campaign_id AND m.date BETWEEN l.launch_date AND l.launch_date + 2
  AND m.date BETWEEN $1::DATE AND $2::DATE
WHERE $3::VARCHAR = 'all' OR m.owner = $3
GROUP BY l.campaign_id, l.launch_date
ORDER BY l.launch_date, l.campaign_id;
