-- Each campaign raise's outcome check (the written action, from the audit log, says it was a raise),
-- with the windows the production check compared at check time.
SELECT o.workflow_id, o.campaign_id, o.change_date::VARCHAR AS change_date, o.was_right,
  o.baseline_spend::DOUBLE AS baseline_spend, o.baseline_revenue::DOUBLE AS baseline_revenue,
  o.outcome_spend::DOUBLE AS outcome_spend, o.outcome_revenue::DOUBLE AS outcome_revenue,
  a.details AS details
FROM outcome_checks o
JOIN audit_log a ON a.workflow_id = o.workflow_id AND a.event = 'written'
WHERE o.entity_type = 'campaign'
ORDER BY o.change_date, o.campaign_id;
