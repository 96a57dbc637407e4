-- Whether daily_adset_metrics can hold a row in the window [$1, $2]: an ad-set row reported by
-- strateg.is, or a day of an ad set holding a budget (the allocated rows), within it. Without either
-- the dashboard's ad-set queries (adset_window rolls the facts up per request) would return nothing.
SELECT EXISTS (SELECT 1 FROM campaign_daily_facts WHERE date BETWEEN $1::DATE AND $2::DATE AND adset_id <> '')
    OR EXISTS (SELECT 1 FROM meta_adset_days WHERE date BETWEEN $1::DATE AND $2::DATE AND holds_budget) AS present;
