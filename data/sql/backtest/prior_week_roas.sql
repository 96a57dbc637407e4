-- Each campaign's roas (percent) over [$1, $2]: the week before the 7-day baseline an outcome check
-- compares against, so a scale-up confirmed by it was not chosen on the baseline's own luck.
SELECT campaign_id, CASE WHEN sum(spend) > 0 THEN round(sum(revenue) / sum(spend) * 100, 1) END::DOUBLE AS roas
FROM daily_campaign_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
GROUP BY campaign_id;
