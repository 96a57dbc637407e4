-- All of a day's alerts in one statement (one statement per alert took minutes at 22,200 campaigns): $1
-- as_of, $2 a JSON array of alert rows. A re-run of the same day refreshes the numbers but keeps each
-- alert's status, as upsert_alert.sql does for one.
INSERT INTO alerts (as_of, entity_type, entity_id, campaign_id, adset_id, audience_type, revenue_source, type, owner,
                    priority, current_roas, recommendation, potential_margin_gain, daily_loss, reason)
SELECT $1::DATE, a.entity_type, a.entity_id, a.campaign_id, a.adset_id, a.audience_type, a.revenue_source, a.type,
       a.owner, a.priority, a.current_roas, a.recommendation, a.potential_margin_gain::DECIMAL(18, 2),
       a.daily_loss::DECIMAL(18, 2), a.reason
FROM (
  SELECT unnest(from_json($2, '[{"entity_type":"VARCHAR","entity_id":"VARCHAR","campaign_id":"VARCHAR","adset_id":"VARCHAR","audience_type":"VARCHAR","revenue_source":"VARCHAR","type":"VARCHAR","owner":"VARCHAR","priority":"VARCHAR","current_roas":"DOUBLE","recommendation":"VARCHAR","potential_margin_gain":"VARCHAR","daily_loss":"VARCHAR","reason":"VARCHAR"}]')) AS a
)
ON CONFLICT (as_of, entity_type, entity_id, type) DO UPDATE SET
  campaign_id = excluded.campaign_id, adset_id = excluded.adset_id, audience_type = excluded.audience_type,
  revenue_source = excluded.revenue_source, owner = excluded.owner, priority = excluded.priority,
  current_roas = excluded.current_roas, recommendation = excluded.recommendation,
  potential_margin_gain = excluded.potential_margin_gain, daily_loss = excluded.daily_loss, reason = excluded.reason;
