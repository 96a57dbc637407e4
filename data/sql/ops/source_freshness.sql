-- When each source last loaded successfully (epoch ms), for /healthz and the age gauge.
SELECT 'strategis' AS source, epoch_ms(max(finished_at))::DOUBLE AS last_success_ms
FROM ingest_batches WHERE status = 'loaded';
