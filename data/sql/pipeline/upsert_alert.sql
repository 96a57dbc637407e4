-- A re-run of the same day refreshes the numbers but keeps the alert's status. $1 as_of, $2 entity
-- type, $3 entity id, $4 campaign, $5 ad set (null for a campaign), $6 audience type, $7 revenue
-- source, $8 type, $9 owner, $10 priority, $11 current roas, $12 recommendation, $13 gain, $14 loss,
-- $15 reason.
INSERT INTO alerts (as_of, entity_type, entity_id, campaign_id, adset_id, audience_type, revenue_source, type, owner,
                    priority, current_roas, recommendation, potential_margin_gain, daily_loss, reason)
VALUES ($1::DATE, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (as_of, entity_type, entity_id, type) DO UPDATE SET
  campaign_id = excluded.campaign_id, adset_id = excluded.adset_id, audience_type = excluded.audience_type,
  revenue_source = excluded.revenue_source, owner = excluded.owner, priority = excluded.priority,
  current_roas = excluded.current_roas, recommendation = excluded.recommendation,
  potential_margin_gain = excluded.potential_margin_gain, daily_loss = excluded.daily_loss, reason = excluded.reason;
