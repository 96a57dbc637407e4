-- Accepted rows whose key is not stored yet.
INSERT INTO campaign_daily_facts (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend,
                                  revenue, clicks, conversions, impressions, sessions, account_id, meta_campaign_id,
                                  is_reconciled, batch_id, loaded_at)
SELECT s.date, s.campaign_id, s.adset_id, s.campaign_name, s.adset_name, s.owner, s.category, s.spend, s.revenue,
       s.clicks, s.conversions, s.impressions, s.sessions, s.account_id, s.meta_campaign_id, s.is_reconciled,
       $batch_id, now()
FROM strategis_checked s
ANTI JOIN campaign_daily_facts f USING (date, campaign_id, adset_id)
WHERE s.reason IS NULL AND NOT s.is_total;
