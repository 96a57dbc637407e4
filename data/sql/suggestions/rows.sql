-- One breakdown's rows ($3: placement | age_gender | country | region | hour) for the days $1..$2
-- whose breakdown run finished (meta_breakdown_runs), each with its entity's campaign and owner:
-- the campaign map by Meta campaign id, else the strateg.is rows that carried that id.
WITH facts AS (
  SELECT meta_campaign_id,
         any_value(campaign_id ORDER BY date DESC) AS campaign_id,
         any_value(campaign_name ORDER BY date DESC) AS campaign_name,
         any_value(owner ORDER BY date DESC) FILTER (WHERE owner IS NOT NULL) AS owner
  FROM campaign_daily_facts
  WHERE meta_campaign_id IS NOT NULL AND date BETWEEN $1::DATE - 30 AND $2::DATE
  GROUP BY meta_campaign_id
),
rows AS (
  SELECT 'placement' AS breakdown, day, account_id, entity_type, entity_id, meta_campaign_id,
         publisher_platform || '/' || platform_position AS segment, spend, purchase_value
  FROM meta_breakdown_placement WHERE $3 = 'placement'
  UNION ALL
  SELECT 'age_gender', day, account_id, entity_type, entity_id, meta_campaign_id, age || '/' || gender, spend,
         purchase_value
  FROM meta_breakdown_age_gender WHERE $3 = 'age_gender'
  UNION ALL
  SELECT 'country', day, account_id, entity_type, entity_id, meta_campaign_id, country, spend, purchase_value
  FROM meta_breakdown_country WHERE $3 = 'country'
  UNION ALL
  SELECT 'region', day, account_id, entity_type, entity_id, meta_campaign_id, region, spend, purchase_value
  FROM meta_breakdown_region WHERE $3 = 'region'
  UNION ALL
  SELECT 'hour', day, account_id, entity_type, entity_id, meta_campaign_id, lpad(hour::VARCHAR, 2, '0') || ':00',
         spend, purchase_value
  FROM meta_breakdown_hour WHERE $3 = 'hour'
)
SELECT strftime(r.day, '%Y-%m-%d') AS day, r.account_id, r.entity_type, r.entity_id, r.meta_campaign_id,
       coalesce((SELECT min(m.campaign_id) FROM campaign_map m WHERE m.meta_campaign_id = r.meta_campaign_id),
                f.campaign_id, r.meta_campaign_id) AS campaign_id,
       f.campaign_name,
       coalesce((SELECT max(m.owner) FROM campaign_map m WHERE m.meta_campaign_id = r.meta_campaign_id), f.owner,
                'unassigned') AS owner,
       (SELECT max(m.category) FROM campaign_map m WHERE m.meta_campaign_id = r.meta_campaign_id) AS category,
       (SELECT s.audience_type FROM meta_adset_state s WHERE r.entity_type = 'adset' AND s.adset_id = r.entity_id)
         AS audience_type,
       r.segment, sum(r.spend)::VARCHAR AS spend, sum(r.purchase_value)::VARCHAR AS purchase_value
FROM rows r
JOIN meta_breakdown_runs run ON run.day = r.day AND run.account_id = r.account_id
LEFT JOIN facts f ON f.meta_campaign_id = r.meta_campaign_id
WHERE r.day BETWEEN $1::DATE AND $2::DATE
GROUP BY ALL
ORDER BY r.entity_type, r.entity_id, r.segment, day;
