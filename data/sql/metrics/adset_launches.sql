-- Ad sets whose launch (first day with spend > 0, all history up to $2) falls in [$1, $2], with the
-- launch-day margin and the first 72 hours, as launches.sql for campaigns: a new ad set in an old
-- campaign is a launch of its own (adset_launch_dates.sql). $3 owner (its campaign's rows') or 'all'.
WITH launched AS (
  SELECT adset_id, min(date) AS launch_date
  FROM daily_adset_metrics
  WHERE spend > 0 AND date <= $2::DATE
  GROUP BY adset_id
  HAVING min(date) BETWEEN $1::DATE AND $2::DATE
)
SELECT any_value(m.campaign_id) AS campaign_id,
       l.adset_id,
       any_value(m.adset_name ORDER BY m.date DESC) AS adset_name,
       any_value(m.audience_type ORDER BY m.date DESC) AS audience_type,
       l.launch_date::VARCHAR AS launch_date,
       any_value(m.owner ORDER BY m.date DESC) AS owner,
       any_value(m.category ORDER BY m.date DESC) AS category,
       coalesce(sum(m.revenue - m.spend) FILTER (WHERE m.date = l.launch_date), 0)::DECIMAL(18, 2)::VARCHAR AS first_day_margin,
       coalesce(sum(m.spend), 0)::DECIMAL(18, 2)::VARCHAR AS spend_72h,
       coalesce(sum(m.revenue), 0)::DECIMAL(18, 2)::VARCHAR AS revenue_72h
FROM launched l
JOIN daily_adset_metrics m
  ON m.adset_id = l.adset_id AND m.date BETWEEN l.launch_date AND l.launch_date + 2 AND m.date <= $2::DATE
WHERE $3::VARCHAR = 'all' OR m.campaign_id IN (SELECT campaign_id FROM campaign_day_metrics
                                                WHERE date <= $2::DATE AND owner = $3)
GROUP BY l.adset_id, l.launch_date
ORDER BY l.launch_date, campaign_id, l.adset_id;
