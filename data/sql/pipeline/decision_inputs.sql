-- What the decision engine reads besides thresholds and rules, each as a number that changes when it
-- does: the campaign days (a version the loader's refresh bumps), the campaign map, the executed
-- changes (audit_log is append-only) and the Meta snapshots with their finished sync runs.
SELECT (SELECT version FROM warehouse_versions WHERE name = 'campaign_days')::VARCHAR AS campaign_days,
       (SELECT count(*) || '/' || coalesce(max(updated_at)::VARCHAR, '') FROM campaign_map) AS campaign_map,
       (SELECT count(*) FROM audit_log)::VARCHAR AS audit_log,
       (SELECT count(*) || '/' || coalesce(max(finished_at)::VARCHAR, '') FROM meta_sync_runs) AS meta_sync_runs,
       (SELECT count(*) FROM meta_campaign_snapshots)::VARCHAR AS meta_campaign_snapshots,
       (SELECT count(*) FROM meta_adset_snapshots)::VARCHAR AS meta_adset_snapshots;
