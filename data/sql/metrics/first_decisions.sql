-- The first decision per campaign (METRICS.md "Launches"): an approval decided or a change
-- executed by scaleflow, as a local date in time zone $1, up to $2.
SELECT campaign_id, min((recorded_at AT TIME ZONE $1)::DATE)::VARCHAR AS decided_on
FROM audit_log
WHERE event IN ('decided', 'written') AND (recorded_at AT TIME ZONE $1)::DATE <= $2::DATE
GROUP BY campaign_id;
