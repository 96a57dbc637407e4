-- First day with spend > 0 of every campaign, looking at all history up to $1. Read from the fact
-- table, not the view: spend is never negative, so a campaign spent on a day exactly when one of
-- its rows did, and the whole history needs no roll-up first.
SELECT campaign_id, min(date)::VARCHAR AS launch_date
FROM campaign_daily_facts
WHERE spend > 0 AND date <= $1::DATE
GROUP BY campaign_id;
