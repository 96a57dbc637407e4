-- Candidate controls of an outcome check at level $8 ('campaign' or 'adset'): the campaigns, or the ad
-- sets, of other campaigns of the same owner or the same category as the changed one, with no change
-- written by scaleflow (on the campaign or its ad sets) from the baseline week's first day to the outcome
-- week's last, and their spend and revenue over both weeks. lib/outcome-control.ts keeps those in the
-- changed entity's ROAS bucket. Ad sets of the changed campaign are left out: they share its budget
-- decisions and audience, so they are not unchanged. Only the level's branch of `entities` yields rows.
-- $1 changed campaign id, $2 owner, $3 baseline start, $4 baseline end, $5 outcome start, $6 outcome end, $7 TZ
WITH changed AS (
  SELECT max(category) AS category FROM daily_campaign_metrics WHERE campaign_id = $1 AND date BETWEEN $3::DATE AND $6::DATE
), touched AS (
  SELECT DISTINCT campaign_id FROM audit_log
  WHERE event = 'written' AND (recorded_at AT TIME ZONE $7)::DATE BETWEEN $3::DATE AND $6::DATE
), entities AS (
  SELECT campaign_id AS id, campaign_id, owner, category, date, spend, revenue
  FROM daily_campaign_metrics WHERE $8::VARCHAR = 'campaign'
  UNION ALL
  SELECT adset_id AS id, campaign_id, owner, category, date, spend, revenue
  FROM daily_adset_metrics WHERE $8::VARCHAR = 'adset'
)
SELECT m.id,
       coalesce(sum(m.spend) FILTER (WHERE m.date <= $4::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS before_spend,
       coalesce(sum(m.revenue) FILTER (WHERE m.date <= $4::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS before_revenue,
       coalesce(sum(m.spend) FILTER (WHERE m.date >= $5::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS after_spend,
       coalesce(sum(m.revenue) FILTER (WHERE m.date >= $5::DATE), 0)::DECIMAL(18, 2)::VARCHAR AS after_revenue
FROM entities m, changed
WHERE m.campaign_id <> $1
  AND (m.date BETWEEN $3::DATE AND $4::DATE OR m.date BETWEEN $5::DATE AND $6::DATE)
  AND (m.owner = $2 OR m.category = changed.category)
  AND m.campaign_id NOT IN (SELECT campaign_id FROM touched)
GROUP BY m.id
ORDER BY m.id;
