-- Account $2's day $1 into meta_breakdown_region ($3: JSON array of lib/meta/breakdowns.ts rows, level=adset).
-- Each row goes to the entity that holds the budget (meta_adset_state.holds_budget): the ad set,
-- or else its campaign, whose ad sets' rows are summed. An ad set the spend sync has not seen yet
-- counts as its campaign's.
INSERT INTO meta_breakdown_region (day, account_id, entity_type, entity_id, meta_campaign_id, region,
                 spend, impressions, clicks, purchases, purchase_value)
SELECT $1::DATE, $2,
       CASE WHEN coalesce(s.holds_budget, false) THEN 'adset' ELSE 'campaign' END AS entity_type,
       CASE WHEN coalesce(s.holds_budget, false) THEN r.adset_id ELSE r.campaign_id END AS entity_id,
       r.campaign_id, r.region,
       sum(r.spend::DECIMAL(18, 2)), sum(r.impressions), sum(r.clicks), sum(r.purchases),
       sum(r.purchase_value::DECIMAL(18, 2))
FROM (
  SELECT unnest(from_json($3::JSON, '[{"campaign_id":"VARCHAR","adset_id":"VARCHAR","region":"VARCHAR","spend":"VARCHAR","impressions":"BIGINT","clicks":"BIGINT","purchases":"BIGINT","purchase_value":"VARCHAR"}]'), recursive := true)
) r
LEFT JOIN meta_adset_state s ON s.adset_id = r.adset_id
GROUP BY ALL;
