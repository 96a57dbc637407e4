-- Accepted rows whose key is stored with different values: the old values, the new ones and the
-- batch that replaces them. Runs before merge_facts, which then overwrites them.
INSERT INTO restatements (batch_id, previous_batch_id, date, campaign_id, adset_id, old_spend, new_spend,
                          old_revenue, new_revenue, old_values, new_values)
SELECT
  $batch_id, f.batch_id, f.date, f.campaign_id, f.adset_id, f.spend, s.spend, f.revenue, s.revenue,
  to_json({campaign_name: f.campaign_name, adset_name: f.adset_name, owner: f.owner, category: f.category,
           spend: f.spend, revenue: f.revenue, clicks: f.clicks, conversions: f.conversions,
           impressions: f.impressions, sessions: f.sessions, account_id: f.account_id,
           meta_campaign_id: f.meta_campaign_id, is_reconciled: f.is_reconciled}),
  to_json({campaign_name: s.campaign_name, adset_name: s.adset_name, owner: s.owner, category: s.category,
           spend: s.spend, revenue: s.revenue, clicks: s.clicks, conversions: s.conversions,
           impressions: s.impressions, sessions: s.sessions, account_id: s.account_id,
           meta_campaign_id: s.meta_campaign_id, is_reconciled: s.is_reconciled})
FROM strategis_checked s
JOIN campaign_daily_facts f USING (date, campaign_id, adset_id)
WHERE s.reason IS NULL AND NOT s.is_total
  AND (f.campaign_name, f.adset_name, f.owner, f.category, f.spend, f.revenue, f.clicks, f.conversions,
       f.impressions, f.sessions, f.account_id, f.meta_campaign_id, f.is_reconciled)
      IS DISTINCT FROM
      (s.campaign_name, s.adset_name, s.owner, s.category, s.spend, s.revenue, s.clicks, s.conversions,
       s.impressions, s.sessions, s.account_id, s.meta_campaign_id, s.is_reconciled);
