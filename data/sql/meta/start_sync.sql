-- A sync hour begins (again): readers keep using the previous completed hour until it finishes.
INSERT INTO meta_sync_runs (snapshot_hour) VALUES ($1::TIMESTAMPTZ)
ON CONFLICT (snapshot_hour) DO UPDATE SET started_at = now(), finished_at = NULL;
