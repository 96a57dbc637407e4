-- Each ad set's live daily budget as the last completed Meta sync saw it (view meta_adset_state):
-- 0 when it is not ACTIVE there, NULL when its campaign holds the budget (CBO) or it has a lifetime
-- budget. holds_budget: the budget lives on the ad set, so at level auto the optimiser plans it.
-- currency: its ad account's.
SELECT adset_id, campaign_id, holds_budget,
       CASE WHEN status <> 'ACTIVE' THEN 0 ELSE daily_budget END::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       coalesce(a.currency, s.currency) AS currency
FROM meta_adset_state s
LEFT JOIN meta_accounts a ON a.account_id = s.account_id
WHERE campaign_id IS NOT NULL;
