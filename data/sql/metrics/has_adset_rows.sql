-- Whether daily_adset_metrics can hold a row at all: an ad-set row reported by strateg.is, or a
-- day of an ad set holding a budget (the allocated rows). Without either the view is empty, and
-- the ad-set inputs (whose launch dates read the view's whole history) need not be read.
SELECT EXISTS (SELECT 1 FROM campaign_daily_facts WHERE adset_id <> '')
    OR EXISTS (SELECT 1 FROM meta_adset_days WHERE holds_budget) AS present;
