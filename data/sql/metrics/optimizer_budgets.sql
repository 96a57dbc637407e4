-- Each mapped campaign's live daily budget as the last completed Meta sync saw it (view
-- meta_campaign_state): 0 when it is not ACTIVE there (a paused campaign spends nothing), NULL
-- under a lifetime or ad-set budget (no campaign daily budget to start from). Campaigns never
-- synced have no row: the optimiser then starts from their mean spend. The budget is in its ad
-- account's currency (meta_accounts, else the snapshot's), which the optimiser plans apart.
SELECT campaign_id,
       CASE WHEN status <> 'ACTIVE' THEN 0 ELSE daily_budget END::DECIMAL(18, 2)::VARCHAR AS daily_budget,
       coalesce(a.currency, s.currency) AS currency
FROM meta_campaign_state s
LEFT JOIN meta_accounts a ON a.account_id = s.account_id
WHERE campaign_id IS NOT NULL;
