-- The launches query as it was before campaign_launches (migration 026): every campaign's first spend day
-- grouped from the whole fact history per request. test/ingest/campaign-launches.test.ts holds the kept
-- path's answer equal to this one.
WITH launched AS (
  -- The fact table, not the view: spend is never negative.
  SELECT campaign_id, min(date) AS launch_date
  FROM campaign_daily_facts
  WHERE spend > 0 AND date <= $2::DATE
  GROUP BY campaign_id
  HAVING min(date) BETWEEN $1::DATE AND $2::DATE
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
