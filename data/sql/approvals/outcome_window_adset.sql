-- Spend and revenue of one ad set over [start, end] (daily_adset_metrics: strateg.is ad-set rows,
-- or the campaign's row allocated by Meta's purchase value). $1 ad set id, $2 start date, $3 end date
SELECT coalesce(sum(spend), 0)::DECIMAL(18, 2)::VARCHAR AS spend,
       coalesce(sum(revenue), 0)::DECIMAL(18, 2)::VARCHAR AS revenue,
       count(DISTINCT date)::INTEGER AS days_with_data,
       max(date)::VARCHAR AS last_date
FROM daily_adset_metrics
WHERE adset_id = $1 AND date BETWEEN $2::DATE AND $3::DATE;
