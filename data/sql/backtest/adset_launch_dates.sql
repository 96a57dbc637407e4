-- Each ad set's first day with spend up to $1 (METRICS.md "Launches"), keyed like adset_rows.sql.
SELECT adset_id AS campaign_id, min(date)::VARCHAR AS launch_date
FROM daily_adset_metrics
WHERE spend > 0 AND date <= $1::DATE
GROUP BY adset_id;
