-- Spend and revenue of one campaign over [start, end], with how many of those days have data.
-- $1 campaign id, $2 start date, $3 end date
SELECT coalesce(sum(spend), 0)::DECIMAL(18, 2)::VARCHAR AS spend,
       coalesce(sum(revenue), 0)::DECIMAL(18, 2)::VARCHAR AS revenue,
       count(DISTINCT date)::INTEGER AS days_with_data,
       max(date)::VARCHAR AS last_date
FROM daily_campaign_metrics
WHERE campaign_id = $1 AND date BETWEEN $2::DATE AND $3::DATE;
