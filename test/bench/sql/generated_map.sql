-- Each campaign mapped to a Meta campaign in one of 200 ad accounts, as a campaign map file would.
INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
SELECT DISTINCT campaign_id, '9' || substr(campaign_id, 2), owner, category,
  'act_' || (100 + CAST(substr(campaign_id, 2) AS INTEGER) % 200)
FROM campaign_daily_facts
WHERE batch_id = 'bench-generated';
