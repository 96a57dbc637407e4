SELECT workflow_id, entity_type, entity_id, campaign_id, adset_id, owner, change_type, rule, change_date::VARCHAR AS change_date,
       baseline_spend::VARCHAR AS baseline_spend, baseline_revenue::VARCHAR AS baseline_revenue,
       baseline_margin::VARCHAR AS baseline_margin, baseline_roas,
       outcome_spend::VARCHAR AS outcome_spend, outcome_revenue::VARCHAR AS outcome_revenue,
       outcome_margin::VARCHAR AS outcome_margin, outcome_roas,
       delta_margin::VARCHAR AS delta_margin, delta_revenue::VARCHAR AS delta_revenue, delta_roas,
       is_improving, was_right, control_count, did_margin_per_day::VARCHAR AS did_margin_per_day, right_vs_control
FROM outcome_checks
WHERE change_date BETWEEN $1::DATE AND $2::DATE
  AND ($3::VARCHAR = 'all' OR owner = $3)
  AND ($4::VARCHAR = 'auto' OR entity_type = $4)
ORDER BY change_date DESC, campaign_id, entity_type, entity_id;
