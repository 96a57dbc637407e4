-- Per-ad-set totals over a window [$1, $2] (inclusive), for one owner ($3) or 'all' (the owner of
-- its campaign's rows, as the decisions read it): the dashboard's rows below the campaign level.
-- Money stays DECIMAL and leaves as text, as campaign_window.sql; revenue_source is 'allocated' when
-- any day's revenue was split from the campaign's row.
SELECT d.campaign_id,
       d.adset_id,
       any_value(d.campaign_name ORDER BY d.date DESC) AS campaign_name,
       any_value(d.adset_name ORDER BY d.date DESC) AS adset_name,
       any_value(d.audience_type ORDER BY d.date DESC) AS audience_type,
       CASE WHEN bool_or(d.revenue_source = 'allocated') THEN 'allocated' ELSE 'strategis' END AS revenue_source,
       any_value(d.owner ORDER BY d.date DESC) AS owner,
       any_value(d.category ORDER BY d.date DESC) AS category,
       sum(d.spend)::DECIMAL(18, 2)::VARCHAR AS spend,
       sum(d.revenue)::DECIMAL(18, 2)::VARCHAR AS revenue,
       (sum(d.revenue) - sum(d.spend))::DECIMAL(18, 2)::VARCHAR AS margin,
       CASE WHEN sum(d.spend) > 0 THEN round(sum(d.revenue) / sum(d.spend) * 100, 1)::DOUBLE END AS roas,
       coalesce(sum(d.spend) FILTER (WHERE d.date = $2::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS last_day_spend
FROM daily_adset_metrics d
WHERE d.date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR d.campaign_id IN (SELECT campaign_id FROM campaign_day_metrics
                                                 WHERE date BETWEEN $1::DATE AND $2::DATE AND owner = $3))
GROUP BY d.campaign_id, d.adset_id
ORDER BY d.campaign_id, d.adset_id;
