-- Outcome checks per ad set (METRICS.md "Levels"): an ad-set change is judged on that ad set's own
-- days in daily_adset_metrics. Rows checked before ad sets existed are campaign rows.
ALTER TABLE outcome_checks ADD COLUMN entity_type VARCHAR DEFAULT 'campaign';
ALTER TABLE outcome_checks ADD COLUMN entity_id VARCHAR;
ALTER TABLE outcome_checks ADD COLUMN adset_id VARCHAR;
UPDATE outcome_checks SET entity_type = 'campaign', entity_id = campaign_id WHERE entity_id IS NULL;
