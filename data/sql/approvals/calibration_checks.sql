-- Outcome checks of the 90 days ending $1 (change day), with the action their write logged, for
-- calibration (lib/calibration.ts). $1 as-of date, $2 owner or 'all'.
SELECT o.rule, o.owner,
       o.baseline_spend::VARCHAR AS baseline_spend, o.baseline_revenue::VARCHAR AS baseline_revenue,
       o.was_right,
       json_extract_string(a.details, '$.action.kind') AS kind,
       TRY_CAST(json_extract(a.details, '$.action.fromCents') AS BIGINT) AS from_cents,
       TRY_CAST(json_extract(a.details, '$.action.toCents') AS BIGINT) AS to_cents
FROM outcome_checks o
LEFT JOIN audit_log a ON a.workflow_id = o.workflow_id AND a.event = 'written'
WHERE o.change_date > $1::DATE - 90 AND o.change_date <= $1::DATE
  AND ($2::VARCHAR = 'all' OR o.owner = $2)
QUALIFY row_number() OVER (PARTITION BY o.workflow_id ORDER BY a.seq) = 1
ORDER BY o.workflow_id;
