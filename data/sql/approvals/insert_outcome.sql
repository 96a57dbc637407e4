-- $20 entity_type (campaign | adset), $21 entity_id (the campaign id, or the ad set's), $22 adset_id or NULL,
-- $23 control_count, $24 did_margin_per_day (NULL with no control), $25 right_vs_control (NULL likewise)
INSERT INTO outcome_checks (workflow_id, campaign_id, owner, change_type, rule, change_date,
  baseline_spend, baseline_revenue, baseline_margin, baseline_roas,
  outcome_spend, outcome_revenue, outcome_margin, outcome_roas,
  delta_margin, delta_revenue, delta_roas, is_improving, was_right,
  entity_type, entity_id, adset_id, control_count, did_margin_per_day, right_vs_control)
VALUES ($1, $2, $3, $4, $5, $6::DATE, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
  $23, $24, $25)
ON CONFLICT (workflow_id) DO NOTHING;
