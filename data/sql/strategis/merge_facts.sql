-- Accepted rows whose key is stored with different values replace them (restatements were
-- recorded just before); identical rows are left alone, batch and loaded_at included, so loading
-- the same rows again changes nothing.
UPDATE campaign_daily_facts AS f SET
  campaign_name = s.campaign_name, adset_name = s.adset_name, owner = s.owner, category = s.category,
  spend = s.spend, revenue = s.revenue, clicks = s.clicks, conversions = s.conversions,
  impressions = s.impressions, sessions = s.sessions, account_id = s.account_id,
  meta_campaign_id = s.meta_campaign_id, is_reconciled = s.is_reconciled, batch_id = $batch_id, loaded_at = now()
FROM strategis_checked AS s
WHERE s.reason IS NULL AND NOT s.is_total
  AND f.date = s.date AND f.campaign_id = s.campaign_id AND f.adset_id = s.adset_id
  AND (f.campaign_name, f.adset_name, f.owner, f.category, f.spend, f.revenue, f.clicks, f.conversions,
       f.impressions, f.sessions, f.account_id, f.meta_campaign_id, f.is_reconciled)
      IS DISTINCT FROM
      (s.campaign_name, s.adset_name, s.owner, s.category, s.spend, s.revenue, s.clicks, s.conversions,
       s.impressions, s.sessions, s.account_id, s.meta_campaign_id, s.is_reconciled);
