-- Rebuilds the campaign_days rows of the (date, campaign_id) keys in the temp table campaign_days_touched
-- from campaign_daily_facts: the roll-up of migration 021 (and of the view daily_campaign_metrics).
DELETE FROM campaign_days d
USING campaign_days_touched t
WHERE d.date = t.date AND d.campaign_id = t.campaign_id;
INSERT INTO campaign_days
SELECT f.date, f.campaign_id, max(f.campaign_name), max(f.owner), max(f.category),
       CAST(sum(f.spend) AS DECIMAL(18, 2)), CAST(sum(f.revenue) AS DECIMAL(18, 2)),
       CAST(sum(f.clicks) AS BIGINT), CAST(sum(f.conversions) AS BIGINT), CAST(sum(f.impressions) AS BIGINT)
FROM campaign_daily_facts f
SEMI JOIN campaign_days_touched t ON t.date = f.date AND t.campaign_id = f.campaign_id
GROUP BY f.date, f.campaign_id
ORDER BY f.date, f.campaign_id;
UPDATE warehouse_versions SET version = version + 1 WHERE name = 'campaign_days';
