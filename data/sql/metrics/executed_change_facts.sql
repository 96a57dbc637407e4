-- Budget or status changes scaleflow executed, up to the instant $1 (epoch ms): the cooldown's input.
SELECT campaign_id, epoch_ms(recorded_at)::DOUBLE AS changed_at
FROM executed_changes
WHERE epoch_ms(recorded_at) <= $1;
