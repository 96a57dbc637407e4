-- Rebuilds campaign_launches (migration 026) for the campaigns in the temp table campaign_days_touched:
-- a restatement can add an earlier spend day or take the first one's spend away, so each touched
-- campaign's first spend day is found again over its whole history.
DELETE FROM campaign_launches WHERE campaign_id IN (SELECT campaign_id FROM campaign_days_touched);
INSERT INTO campaign_launches
SELECT f.campaign_id, min(f.date)
FROM campaign_daily_facts f
SEMI JOIN (SELECT DISTINCT campaign_id FROM campaign_days_touched) t ON t.campaign_id = f.campaign_id
WHERE f.spend > 0
GROUP BY f.campaign_id;
