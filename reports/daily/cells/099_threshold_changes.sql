-- Threshold changes calibration proposed (workflows/threshold-change.ts) over the same 90 days as
-- the calibration cell, read from their audit rows: what was proposed and why (threshold_proposed),
-- who decided (decided), what an approval wrote (threshold_written), or that the link expired. The
-- day is the proposal's own (the pipeline's as-of date), so a re-read never moves it.
-- @title Threshold changes from calibration, last 90 days
-- @requires audit_log
-- @columns owner:Owner, proposed_on:Proposed, field:Threshold, from_pct:From, to_pct:To, because:Because, state:State, decided_by:Decided by
-- @limit 20
WITH runs AS (
  SELECT workflow_id, owner,
         max(details) FILTER (WHERE event = 'threshold_proposed') AS proposed,
         max(json_extract_string(details, '$.decision')) FILTER (WHERE event = 'decided') AS decision,
         max(actor) FILTER (WHERE event = 'decided') AS decided_by,
         bool_or(event = 'threshold_written') AS written,
         bool_or(event = 'expired') AS expired
  FROM audit_log
  WHERE workflow_id LIKE 'threshold-change/%'
    AND ($owner IS NULL OR owner = $owner)
  GROUP BY workflow_id, owner
)
SELECT owner, workflow_id,
       json_extract_string(proposed, '$.proposal.date') AS proposed_on,
       json_extract_string(proposed, '$.proposal.field') AS field,
       TRY_CAST(json_extract(proposed, '$.proposal.from') AS DOUBLE) AS from_pct,
       TRY_CAST(json_extract(proposed, '$.proposal.to') AS DOUBLE) AS to_pct,
       printf('ROAS band %s%%: %d of %d scale-ups right, at most %.1f%%',
              json_extract_string(proposed, '$.proposal.because.roas_band'),
              TRY_CAST(json_extract(proposed, '$.proposal.because.right') AS INTEGER),
              TRY_CAST(json_extract(proposed, '$.proposal.because.checked') AS INTEGER),
              TRY_CAST(json_extract(proposed, '$.proposal.because.high') AS DOUBLE) * 100) AS because,
       CASE WHEN written THEN 'approved, written'
            WHEN decision = 'approve' THEN 'approved'
            WHEN decision = 'reject' THEN 'rejected'
            WHEN expired THEN 'expired'
            ELSE 'awaiting approval' END AS state,
       decided_by
FROM runs
WHERE proposed IS NOT NULL
  AND TRY_CAST(json_extract_string(proposed, '$.proposal.date') AS DATE) > $as_of - 90
  AND TRY_CAST(json_extract_string(proposed, '$.proposal.date') AS DATE) <= $as_of
ORDER BY proposed_on DESC, owner, workflow_id;
