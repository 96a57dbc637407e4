-- Can the numbers above be trusted? One row per source. strateg.is: its newest load (batches whose
-- as_of is on or before this report's, so a re-render of an old day reads as it did then), the loads
-- of the last 7 days, the rows they quarantined (with the commonest reason), the stored rows they
-- restated and how much revenue moved. Meta: the newest completed sync hour up to the end of as_of
-- and how many hours completed on as_of. Ages are in local days ($tz) against as_of: strateg.is is
-- stale when nothing loaded on as_of or the day before, Meta when no hour completed on as_of.
-- The sources are shared, so owner reports show the same rows as the team's.
-- @title Data quality
-- @requires ingest_batches, quarantine_rows, restatements, meta_sync_runs
-- @columns source:Source, status:Status, last_load:Last load, quarantined_7d:Quarantined 7d, restated_7d:Restated 7d, rejected_7d:Rejected files 7d
WITH batches AS (
  SELECT * FROM ingest_batches WHERE as_of BETWEEN $as_of - 6 AND $as_of
),
last_batch AS (
  SELECT max(finished_at) AS at FROM ingest_batches WHERE status = 'loaded' AND as_of <= $as_of
),
reasons AS (
  SELECT q.reason, count(*) AS n
  FROM quarantine_rows q JOIN batches b ON b.batch_id = q.batch_id
  GROUP BY q.reason
),
restated AS (
  SELECT count(*) AS n, sum(r.new_revenue - r.old_revenue) AS revenue_change
  FROM restatements r JOIN batches b ON b.batch_id = r.batch_id
),
meta AS (
  SELECT max(snapshot_hour) AS at,
         count(*) FILTER (WHERE CAST(timezone($tz, snapshot_hour) AS DATE) = $as_of) AS hours_today
  FROM meta_sync_runs
  WHERE finished_at IS NOT NULL AND CAST(timezone($tz, snapshot_hour) AS DATE) <= $as_of
)
SELECT 1 AS ord,
       'strateg.is' AS source,
       strftime(timezone($tz, l.at), '%a %b %-d, %H:%M') AS last_load,
       ($as_of - CAST(timezone($tz, l.at) AS DATE))::INTEGER AS age_days,
       (SELECT count(*) FROM batches WHERE status = 'loaded')::INTEGER AS loads_7d,
       (SELECT count(*) FROM batches WHERE status <> 'loaded')::INTEGER AS rejected_7d,
       coalesce((SELECT sum(n) FROM reasons), 0)::INTEGER AS quarantined_7d,
       (SELECT reason FROM reasons ORDER BY n DESC, reason LIMIT 1) AS top_reason,
       (SELECT max(n) FROM reasons)::INTEGER AS top_reason_rows,
       (SELECT n FROM restated)::INTEGER AS restated_7d,
       coalesce((SELECT revenue_change FROM restated), 0)::DECIMAL(18, 2) AS restated_revenue_7d,
       NULL::INTEGER AS hours_today,
       CASE WHEN l.at IS NULL THEN 'never loaded'
            WHEN $as_of - CAST(timezone($tz, l.at) AS DATE) <= 1 THEN 'fresh'
            ELSE 'stale' END AS status
FROM last_batch l
UNION ALL
SELECT 2, 'Meta sync',
       strftime(timezone($tz, m.at), '%a %b %-d, %H:%M'),
       ($as_of - CAST(timezone($tz, m.at) AS DATE))::INTEGER,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       m.hours_today::INTEGER,
       CASE WHEN m.at IS NULL THEN 'never synced' WHEN m.hours_today > 0 THEN 'fresh' ELSE 'stale' END
FROM meta m
ORDER BY ord;
