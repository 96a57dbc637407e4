-- Open alerts of earlier days that the newest evaluated day no longer raises. The newest day is
-- $1, unless a later day was evaluated already (a past day evaluated late, by `scaleflow report
-- --as-of` or a backfill): then the later day's verdict stands, so an old day evaluated now never
-- reopens, in today's report, an alert the days since have let go.
WITH newest AS (
  SELECT greatest($1::DATE, coalesce(max(as_of), $1::DATE)) AS day FROM decisions
)
UPDATE alerts SET status = 'expired', status_changed_at = now()
WHERE status = 'open' AND as_of < (SELECT day FROM newest)
  AND (entity_type, entity_id, type) NOT IN
      (SELECT entity_type, entity_id, type FROM alerts WHERE as_of = (SELECT day FROM newest));
