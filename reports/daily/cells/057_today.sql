-- Today so far (issue 21), per entity that holds a budget (a CBO campaign, an ad set with its own
-- budget), from its latest completed hourly Meta snapshot taken on the team's day $as_of (view
-- meta_today, migration 019): spend against its daily budget, Meta's purchase value and a ROAS on
-- it, provisional (strateg.is reconciles revenue tomorrow). Each entity's day and hour are its ad
-- account's own time zone (meta_accounts; $tz until the sync first records the account). The
-- delivery-stopped and overspend alerts are judged in the .ts from the same rows (lib/metrics/today.ts).
-- @title Today so far
-- @requires meta_today, meta_accounts, campaign_map
-- @columns name:Campaign or ad set, owner:Owner, spend:Spent so far, daily_budget:Daily budget, spent_pct:Spent, purchase_value:Meta purchase value, provisional_roas:ROAS (provisional), local_time:As of, time_zone:Time zone
WITH mapped AS (
  SELECT meta_campaign_id, min(campaign_id) AS campaign_id, min(owner) AS owner
  FROM campaign_map WHERE meta_campaign_id IS NOT NULL GROUP BY meta_campaign_id
),
today AS (
  SELECT t.*, m.campaign_id, coalesce(m.owner, 'unassigned') AS entity_owner, coalesce(t.time_zone, $tz) AS zone
  FROM meta_today t
  LEFT JOIN mapped m ON m.meta_campaign_id = t.meta_campaign_id
  WHERE CAST(timezone($tz, t.as_of_hour) AS DATE) = $as_of
)
SELECT entity_type, entity_id, meta_campaign_id, account_id, campaign_id, name, status, currency,
       entity_owner AS owner,
       CAST(spend AS DECIMAL(18, 2)) AS spend,
       CAST(daily_budget AS DECIMAL(18, 2)) AS daily_budget,
       CASE WHEN daily_budget > 0 THEN round(spend / daily_budget * 100, 1)::DOUBLE END AS spent_pct,
       CAST(purchase_value AS DECIMAL(18, 2)) AS purchase_value,
       CASE WHEN spend > 0 THEN round(purchase_value / spend * 100, 1)::DOUBLE END AS provisional_roas,
       CAST(spend_3h_before AS DECIMAL(18, 2))::VARCHAR AS spend_3h_before,
       report_date::VARCHAR AS report_date,
       epoch_ms(as_of_hour)::DOUBLE AS as_of_ms,
       strftime(timezone(zone, as_of_hour), '%H:%M') AS local_time,
       zone AS time_zone
FROM today
WHERE $owner IS NULL OR entity_owner = $owner
ORDER BY spend DESC, entity_type, entity_id;
