-- Each ad set's roas (percent) over [$1, $2], keyed like adset_rows.sql: prior_week_roas.sql at ad-set grain.
SELECT adset_id AS campaign_id,
       CASE WHEN sum(spend) > 0 THEN round(sum(revenue) / sum(spend) * 100, 1) END::DOUBLE AS roas
FROM daily_adset_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
GROUP BY adset_id;
