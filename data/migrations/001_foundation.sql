-- A row the healthcheck workflow writes and reads back, one per workflow run (its id is the key,
-- so a retried activity never writes twice).
CREATE TABLE healthcheck_probes (
  probe_id   VARCHAR PRIMARY KEY,
  note       VARCHAR NOT NULL,
  written_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempts   INTEGER NOT NULL DEFAULT 1
);
