-- The ad sets that hold their campaign's budget, as the last completed sync saw them.
SELECT adset_id, campaign_id, meta_campaign_id, name, status, learning_status, audience_type
FROM meta_adset_state
WHERE holds_budget
ORDER BY adset_id;
