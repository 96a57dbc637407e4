INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date,
  baseline_spend, baseline_revenue, baseline_margin, baseline_roas,
  outcome_spend, outcome_revenue, outcome_margin, outcome_roas,
  delta_margin, delta_revenue, delta_roas, is_improving, was_right)
VALUES ($1, $2, $3, $4, $5, $6::DATE, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
ON CONFLICT (workflow_id) DO NOTHING;
