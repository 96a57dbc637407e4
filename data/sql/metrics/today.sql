-- Today so far per budget entity (view meta_today, migration 019) with its owner from the campaign
-- map, for $owner ('all' or a lower-case owner): the entities whose latest completed snapshot was
-- taken on the team's day $as_of (in $tz). Money as exact strings; the zone falls back to $tz.
SELECT t.entity_type, t.entity_id, t.meta_campaign_id, t.account_id, t.name, t.status, t.currency,
       m.campaign_id, coalesce(m.owner, 'unassigned') AS owner,
       t.daily_budget::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       t.spend::DECIMAL(18, 2)::VARCHAR AS spend,
       t.purchase_value::DECIMAL(18, 2)::VARCHAR AS purchase_value,
       t.spend_3h_before::DECIMAL(18, 2)::VARCHAR AS spend_3h_before,
       t.report_date::VARCHAR AS report_date,
       epoch_ms(t.as_of_hour)::DOUBLE AS as_of_ms,
       coalesce(t.time_zone, $tz) AS time_zone
FROM meta_today t
LEFT JOIN (
  SELECT meta_campaign_id, min(campaign_id) AS campaign_id, min(owner) AS owner
  FROM campaign_map WHERE meta_campaign_id IS NOT NULL GROUP BY meta_campaign_id
) m ON m.meta_campaign_id = t.meta_campaign_id
WHERE CAST(timezone($tz, t.as_of_hour) AS DATE) = CAST($as_of AS DATE)
  AND ($owner = 'all' OR lower(coalesce(m.owner, 'unassigned')) = $owner)
ORDER BY t.spend DESC, t.entity_type, t.entity_id;
