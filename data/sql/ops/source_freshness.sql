-- When each source last loaded successfully (epoch ms), for /healthz and the age gauge: the
-- strateg.is pull (a loaded batch) and the Meta sync (an hour with every page in).
SELECT 'strategis' AS source, epoch_ms(max(finished_at))::DOUBLE AS last_success_ms
FROM ingest_batches WHERE status = 'loaded'
UNION ALL
SELECT 'meta', epoch_ms(max(finished_at))::DOUBLE
FROM meta_sync_runs WHERE finished_at IS NOT NULL;
