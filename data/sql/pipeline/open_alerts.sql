-- The day's ($1) alerts that no budget change has been proposed for yet, with where the campaign
-- lives on Meta (the campaign map, else the ids the strateg.is report carried). An ad set's alert
-- also carries the ad set's state from the last completed sync hour (meta_adset_state): its
-- proposal is sized from that daily budget.
WITH names AS (
  SELECT campaign_id,
         any_value(campaign_name ORDER BY date DESC) AS campaign_name,
         any_value(account_id ORDER BY date DESC) FILTER (WHERE account_id IS NOT NULL) AS account_id,
         any_value(meta_campaign_id ORDER BY date DESC) FILTER (WHERE meta_campaign_id IS NOT NULL) AS meta_campaign_id
  FROM campaign_daily_facts
  WHERE date BETWEEN $1::DATE - 30 AND $1::DATE
  GROUP BY campaign_id
)
SELECT a.entity_type, a.entity_id, a.campaign_id, a.adset_id, a.audience_type, a.revenue_source,
       a.type, a.owner, a.priority, a.current_roas, a.recommendation,
       a.potential_margin_gain::VARCHAR AS potential_margin_gain, a.daily_loss::VARCHAR AS daily_loss, a.reason,
       coalesce(n.campaign_name, '') AS campaign_name,
       coalesce(m.account_id, n.account_id, s.account_id) AS account_id,
       coalesce(m.meta_campaign_id, n.meta_campaign_id, s.meta_campaign_id) AS meta_campaign_id,
       s.name AS adset_name,
       s.daily_budget::VARCHAR AS adset_daily_budget,
       s.status AS adset_status,
       s.currency AS adset_currency
FROM alerts a
LEFT JOIN campaign_map m ON m.campaign_id = a.campaign_id
LEFT JOIN names n ON n.campaign_id = a.campaign_id
LEFT JOIN meta_adset_state s ON a.entity_type = 'adset' AND s.adset_id = a.adset_id
WHERE a.as_of = $1::DATE AND a.status = 'open' AND a.workflow_id IS NULL
ORDER BY a.priority = 'high' DESC, coalesce(a.potential_margin_gain, a.daily_loss) DESC, a.campaign_id, a.entity_id;
