-- Rebuilds all of campaign_launches (migration 026) from campaign_daily_facts, for facts written another
-- way than the loader (refreshCampaignDays 'all').
DELETE FROM campaign_launches;
INSERT INTO campaign_launches
SELECT campaign_id, min(date) FROM campaign_daily_facts WHERE spend > 0 GROUP BY campaign_id;
