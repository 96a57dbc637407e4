-- Why an alert got no budget-change proposal (no Meta campaign mapped, no daily budget to move,
-- already paused), so the report shows it as needing a human instead of silently dropping it.
ALTER TABLE alerts ADD COLUMN note VARCHAR;
