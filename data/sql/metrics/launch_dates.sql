-- First day with spend > 0 of every campaign, looking at all history up to $1.
SELECT campaign_id, min(date)::VARCHAR AS launch_date
FROM daily_campaign_metrics
WHERE spend > 0 AND date <= $1::DATE
GROUP BY campaign_id;
