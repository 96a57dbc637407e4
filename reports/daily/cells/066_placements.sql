-- Each owner's placements over the 14 days ending yesterday: Meta's spend and purchase value
-- (revenue here is Meta's, not strateg.is's), ROAS = purchase value / spend, devices summed.
-- @title Placements, last 14 days (Meta purchase value)
-- @requires meta_breakdown_placement, meta_breakdown_runs, campaign_map
-- @columns owner:Owner, placement:Placement, spend:Spend, purchase_value:Meta purchase value, roas:ROAS
-- @limit 20
WITH scoped AS (
  SELECT p.publisher_platform || '/' || p.platform_position AS placement, p.spend, p.purchase_value,
         coalesce((SELECT max(m.owner) FROM campaign_map m WHERE m.meta_campaign_id = p.meta_campaign_id),
                  'unassigned') AS owner
  FROM meta_breakdown_placement p
  JOIN meta_breakdown_runs r ON r.day = p.day AND r.account_id = p.account_id
  WHERE p.day BETWEEN $yesterday - 13 AND $yesterday
)
SELECT owner, placement, sum(spend)::DECIMAL(18, 2) AS spend, sum(purchase_value)::DECIMAL(18, 2) AS purchase_value,
       CASE WHEN sum(spend) > 0 THEN round(sum(purchase_value) / sum(spend) * 100, 1) END AS roas
FROM scoped
WHERE $owner IS NULL OR owner = $owner
GROUP BY owner, placement
ORDER BY owner, spend DESC, placement;
