-- Campaigns whose ad sets hold the budgets (METRICS.md "Levels"): an ad set of the campaign's Meta
-- campaign (campaign_map, else the id strateg.is carried in [$1, $2]) has a daily or lifetime budget
-- in the last completed sync. `level=auto` decides these per ad set.
SELECT DISTINCT m.campaign_id
FROM campaign_map m
JOIN meta_adset_state s ON s.meta_campaign_id = m.meta_campaign_id
WHERE s.holds_budget
UNION
SELECT DISTINCT f.campaign_id
FROM campaign_daily_facts f
JOIN meta_adset_state s ON s.meta_campaign_id = f.meta_campaign_id
WHERE s.holds_budget AND f.date BETWEEN $1::DATE AND $2::DATE;
