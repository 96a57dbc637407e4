-- Per-campaign totals over a window [$1, $2] (inclusive), for one owner ($3) or 'all'.
-- Money stays DECIMAL and leaves as text; roas is a percent to one decimal, NULL without spend.
SELECT campaign_id,
       any_value(campaign_name ORDER BY date DESC) AS campaign_name,
       any_value(owner ORDER BY date DESC) AS owner,
       any_value(category ORDER BY date DESC) AS category,
       sum(spend)::DECIMAL(18, 2)::VARCHAR AS spend,
       sum(revenue)::DECIMAL(18, 2)::VARCHAR AS revenue,
       (sum(revenue) - sum(spend))::DECIMAL(18, 2)::VARCHAR AS margin,
       CASE WHEN sum(spend) > 0 THEN round(sum(revenue) / sum(spend) * 100, 1)::DOUBLE END AS roas,
       coalesce(sum(spend) FILTER (WHERE date = $2::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS last_day_spend
FROM campaign_day_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR owner = $3)
GROUP BY campaign_id
ORDER BY campaign_id;
