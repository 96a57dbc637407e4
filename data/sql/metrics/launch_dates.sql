-- First day with spend > 0 of every campaign, looking at all history up to $1: the loader's kept first
-- spend days (campaign_launches, migration 026), those on or before $1 (a later one had not happened yet).
SELECT campaign_id, launch_date::VARCHAR AS launch_date
FROM campaign_launches
WHERE launch_date <= $1::DATE;
