-- Each owner's audiences by age and gender over the 14 days ending yesterday: Meta's spend and
-- purchase value, ROAS = purchase value / spend.
-- @title Age and gender, last 14 days (Meta purchase value)
-- @requires meta_breakdown_age_gender, meta_breakdown_runs, campaign_map
-- @columns owner:Owner, age:Age, gender:Gender, spend:Spend, purchase_value:Meta purchase value, roas:ROAS
-- @limit 20
WITH scoped AS (
  SELECT a.age, a.gender, a.spend, a.purchase_value,
         coalesce((SELECT max(m.owner) FROM campaign_map m WHERE m.meta_campaign_id = a.meta_campaign_id),
                  'unassigned') AS owner
  FROM meta_breakdown_age_gender a
  JOIN meta_breakdown_runs r ON r.day = a.day AND r.account_id = a.account_id
  WHERE a.day BETWEEN $yesterday - 13 AND $yesterday
)
SELECT owner, age, gender, sum(spend)::DECIMAL(18, 2) AS spend,
       sum(purchase_value)::DECIMAL(18, 2) AS purchase_value,
       CASE WHEN sum(spend) > 0 THEN round(sum(purchase_value) / sum(spend) * 100, 1) END AS roas
FROM scoped
WHERE $owner IS NULL OR owner = $owner
GROUP BY owner, age, gender
ORDER BY owner, spend DESC, age, gender;
