-- Upserts the accepted rows that are new or changed; identical rows are left alone (batch and
-- loaded_at included), so loading the same rows again changes nothing.
INSERT INTO campaign_daily_facts (date, campaign_id, adset_id, campaign_name, adset_name, owner, category, spend,
                                  revenue, clicks, conversions, impressions, sessions, account_id, meta_campaign_id,
                                  is_reconciled, batch_id, loaded_at)
SELECT s.date, s.campaign_id, s.adset_id, s.campaign_name, s.adset_name, s.owner, s.category, s.spend, s.revenue,
       s.clicks, s.conversions, s.impressions, s.sessions, s.account_id, s.meta_campaign_id, s.is_reconciled,
       $batch_id, now()
FROM strategis_checked s
LEFT JOIN campaign_daily_facts f USING (date, campaign_id, adset_id)
WHERE s.reason IS NULL AND NOT s.is_total
  AND (f.batch_id IS NULL
       OR (f.campaign_name, f.adset_name, f.owner, f.category, f.spend, f.revenue, f.clicks, f.conversions,
           f.impressions, f.sessions, f.account_id, f.meta_campaign_id, f.is_reconciled)
          IS DISTINCT FROM
          (s.campaign_name, s.adset_name, s.owner, s.category, s.spend, s.revenue, s.clicks, s.conversions,
           s.impressions, s.sessions, s.account_id, s.meta_campaign_id, s.is_reconciled))
ON CONFLICT (date, campaign_id, adset_id) DO UPDATE SET
  campaign_name = excluded.campaign_name, adset_name = excluded.adset_name, owner = excluded.owner,
  category = excluded.category, spend = excluded.spend, revenue = excluded.revenue, clicks = excluded.clicks,
  conversions = excluded.conversions, impressions = excluded.impressions, sessions = excluded.sessions,
  account_id = excluded.account_id, meta_campaign_id = excluded.meta_campaign_id,
  is_reconciled = excluded.is_reconciled, batch_id = excluded.batch_id, loaded_at = excluded.loaded_at;
