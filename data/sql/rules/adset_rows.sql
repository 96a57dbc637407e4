-- Daily rows of every ad set in [$1, $2] (daily_adset_metrics: strateg.is ad-set rows, or the
-- campaign's split by Meta's purchase value): a level adset rule's input. Allocated rows have no
-- clicks, impressions or conversions, so ctr, cpc, cpm and cpa read as unknown there.
SELECT date::VARCHAR AS date, campaign_id, campaign_name, owner, category, adset_id, adset_name, audience_type,
       spend::DECIMAL(18, 2)::VARCHAR AS spend, revenue::DECIMAL(18, 2)::VARCHAR AS revenue,
       coalesce(clicks, 0)::DOUBLE AS clicks, coalesce(impressions, 0)::DOUBLE AS impressions,
       coalesce(conversions, 0)::DOUBLE AS conversions
FROM daily_adset_metrics
WHERE date BETWEEN $1::DATE AND $2::DATE
ORDER BY adset_id, date;
