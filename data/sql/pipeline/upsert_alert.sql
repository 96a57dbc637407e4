-- A re-run of the same day refreshes the numbers but keeps the alert's status.
INSERT INTO alerts (as_of, campaign_id, type, owner, priority, current_roas, recommendation, potential_margin_gain, daily_loss, reason)
VALUES ($1::DATE, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (as_of, campaign_id, type) DO UPDATE SET
  owner = excluded.owner, priority = excluded.priority, current_roas = excluded.current_roas,
  recommendation = excluded.recommendation, potential_margin_gain = excluded.potential_margin_gain,
  daily_loss = excluded.daily_loss, reason = excluded.reason;
