-- Spend and revenue of one ad set ($1) over [$2, $3]: approvals/outcome_window.sql at ad-set grain.
SELECT coalesce(sum(spend), 0)::DECIMAL(18, 2)::VARCHAR AS spend,
       coalesce(sum(revenue), 0)::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics
WHERE adset_id = $1 AND date BETWEEN $2::DATE AND $3::DATE;
