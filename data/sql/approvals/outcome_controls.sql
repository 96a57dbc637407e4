-- Candidate controls of an outcome check: other campaigns of the same owner or the same category
-- as the changed one, with no change written by scaleflow (on them or their ad sets) from the
-- baseline week's first day to the outcome week's last, and their spend and revenue over both
-- weeks. lib/outcome-control.ts keeps those in the changed campaign's ROAS bucket.
-- $1 changed campaign id, $2 owner, $3 baseline start, $4 baseline end, $5 outcome start, $6 outcome end, $7 TZ
WITH changed AS (
  SELECT max(category) AS category FROM daily_campaign_metrics WHERE campaign_id = $1 AND date BETWEEN $3::DATE AND $6::DATE
), touched AS (
  SELECT DISTINCT campaign_id FROM audit_log
  WHERE event = 'written' AND (recorded_at AT TIME ZONE $7)::DATE BETWEEN $3::DATE AND $6::DATE
)
SELECT m.campaign_id AS id,
       coalesce(sum(m.spend) FILTER (WHERE m.date <= $4::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS before_spend,
       coalesce(sum(m.revenue) FILTER (WHERE m.date <= $4::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS before_revenue,
       coalesce(sum(m.spend) FILTER (WHERE m.date >= $5::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS after_spend,
       coalesce(sum(m.revenue) FILTER (WHERE m.date >= $5::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS after_revenue
FROM daily_campaign_metrics m, changed
WHERE m.campaign_id <> $1
  AND (m.date BETWEEN $3::DATE AND $4::DATE OR m.date BETWEEN $5::DATE AND $6::DATE)
  AND (m.owner = $2 OR m.category = changed.category)
  AND m.campaign_id NOT IN (SELECT campaign_id FROM touched)
GROUP BY m.campaign_id
ORDER BY m.campaign_id;
