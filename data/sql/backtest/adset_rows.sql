-- Daily rows in [$1, $2] of every ad set that holds its campaign's budget, in the decision engine's
-- row shape: the engine keys a series by `campaign_id`, so here that column carries the ad set's id
-- (its campaign is in `parent_campaign_id`), and `campaign_name` the ad set's name.
SELECT m.date::VARCHAR AS date, m.adset_id AS campaign_id, m.adset_name AS campaign_name,
       m.campaign_id AS parent_campaign_id, m.owner, m.category, m.audience_type, m.revenue_source,
       m.spend::DECIMAL(18, 2)::VARCHAR AS spend, m.revenue::DECIMAL(18, 2)::VARCHAR AS revenue
FROM daily_adset_metrics m
JOIN meta_adset_state s ON s.adset_id = m.adset_id AND s.holds_budget
WHERE m.date BETWEEN $1::DATE AND $2::DATE
ORDER BY m.adset_id, m.date;
