-- Overrides approved since the calibration window of $1 opened (90 days before it), by owner and field.
SELECT owner, field FROM owner_thresholds
WHERE approved_at::DATE > $1::DATE - 90
