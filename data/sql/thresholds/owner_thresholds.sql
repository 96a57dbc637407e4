-- Every approved per-owner threshold override.
SELECT owner, field, value FROM owner_thresholds ORDER BY owner, field
