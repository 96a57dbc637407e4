-- The SQL twin of lib/strategis/row.ts: same patterns, same rule order, same reason codes.
-- Reads the temp view strategis_input (one VARCHAR per contract column, NULL when the file lacks
-- it); the {{...}} patterns are scaleflow's own constants, substituted before this runs.
INSERT INTO strategis_checked
WITH cells AS (
  SELECT
    ordinal,
    lower(trim(coalesce(first_cell, ''))) IN ('total', 'totals', 'grand total') AS is_total,
    nullif(trim(campaign_id), '') AS campaign_id,
    nullif(trim(date), '') AS date_text,
    nullif(trim(spend), '') AS spend_text,
    nullif(trim(revenue), '') AS revenue_text,
    nullif(trim(margin), '') AS margin_text,
    nullif(trim(clicks), '') AS clicks_text,
    nullif(trim(conversions), '') AS conversions_text,
    nullif(trim(impressions), '') AS impressions_text,
    nullif(trim(sessions), '') AS sessions_text,
    lower(nullif(trim(is_reconciled), '')) AS reconciled_text,
    nullif(trim(campaign_name), '') AS campaign_name,
    lower(nullif(trim(owner), '')) AS owner,
    nullif(trim(category), '') AS category,
    nullif(trim(account_id), '') AS account_id,
    nullif(trim(meta_campaign_id), '') AS meta_campaign_id,
    lower(nullif(trim(level), '')) AS level,
    nullif(trim(adset_id), '') AS adset_id,
    nullif(trim(adset_name), '') AS adset_name
  FROM strategis_input
),
typed AS (
  SELECT
    *,
    CASE
      WHEN regexp_full_match(date_text, '{{ISO_DATE}}') THEN CAST(try_strptime(date_text, '%Y-%m-%d') AS DATE)
      WHEN regexp_full_match(date_text, '{{US_DATE}}') THEN CAST(try_strptime(date_text, '%m/%d/%Y') AS DATE)
    END AS date,
    CASE WHEN regexp_full_match(spend_text, '{{MONEY}}')
      THEN CAST(replace(replace(spend_text, '$', ''), ',', '') AS DECIMAL(18, 2)) END AS spend,
    CASE WHEN regexp_full_match(revenue_text, '{{MONEY}}')
      THEN CAST(replace(replace(revenue_text, '$', ''), ',', '') AS DECIMAL(18, 2)) END AS revenue,
    CASE WHEN regexp_full_match(margin_text, '{{MONEY}}')
      THEN CAST(replace(replace(margin_text, '$', ''), ',', '') AS DECIMAL(18, 2)) END AS margin,
    CASE WHEN regexp_full_match(clicks_text, '{{INTEGER}}') THEN CAST(replace(clicks_text, ',', '') AS BIGINT) END AS clicks,
    CASE WHEN regexp_full_match(conversions_text, '{{INTEGER}}') THEN CAST(replace(conversions_text, ',', '') AS BIGINT) END AS conversions,
    CASE WHEN regexp_full_match(impressions_text, '{{INTEGER}}') THEN CAST(replace(impressions_text, ',', '') AS BIGINT) END AS impressions,
    CASE WHEN regexp_full_match(sessions_text, '{{INTEGER}}') THEN CAST(replace(sessions_text, ',', '') AS BIGINT) END AS sessions
  FROM cells
),
field_checked AS (
  SELECT
    *,
    concat_ws('; ',
      CASE WHEN campaign_id IS NULL THEN 'missing_campaign_id' END,
      CASE WHEN date_text IS NULL THEN 'missing_date' WHEN date IS NULL THEN 'invalid_date'
           WHEN date > CAST($yesterday AS DATE) THEN 'future_date' END,
      CASE WHEN spend_text IS NULL THEN 'missing_spend' WHEN spend IS NULL THEN 'invalid_spend'
           WHEN spend < 0 THEN 'negative_spend' END,
      CASE WHEN revenue_text IS NULL THEN 'missing_revenue' WHEN revenue IS NULL THEN 'invalid_revenue'
           WHEN revenue < 0 THEN 'negative_revenue' END,
      CASE WHEN margin_text IS NOT NULL AND margin IS NULL THEN 'invalid_margin' END,
      CASE WHEN clicks_text IS NOT NULL AND clicks IS NULL THEN 'invalid_clicks' WHEN clicks < 0 THEN 'negative_clicks' END,
      CASE WHEN conversions_text IS NOT NULL AND conversions IS NULL THEN 'invalid_conversions'
           WHEN conversions < 0 THEN 'negative_conversions' END,
      CASE WHEN impressions_text IS NOT NULL AND impressions IS NULL THEN 'invalid_impressions'
           WHEN impressions < 0 THEN 'negative_impressions' END,
      CASE WHEN sessions_text IS NOT NULL AND sessions IS NULL THEN 'invalid_sessions' WHEN sessions < 0 THEN 'negative_sessions' END,
      CASE WHEN reconciled_text IS NOT NULL AND reconciled_text NOT IN ({{BOOLEAN_WORDS}}) THEN 'invalid_is_reconciled' END
    ) AS field_reasons
  FROM typed
),
checked AS (
  SELECT
    *,
    CASE
      WHEN is_total THEN NULL
      WHEN field_reasons <> '' THEN field_reasons
      ELSE nullif(concat_ws('; ',
        CASE WHEN margin IS NOT NULL AND abs(margin - (revenue - spend)) > 0.01 THEN 'margin_mismatch' END,
        CASE WHEN level = 'adset' AND adset_id IS NULL THEN 'missing_adset_id' END
      ), '')
    END AS row_reason,
    CASE WHEN level = 'adset' THEN adset_id ELSE '' END AS adset_key
  FROM field_checked
)
SELECT
  ordinal,
  is_total,
  CASE
    WHEN row_reason IS NULL AND NOT is_total
      AND row_number() OVER (PARTITION BY row_reason IS NULL AND NOT is_total, date, campaign_id, adset_key ORDER BY ordinal) > 1
    THEN 'duplicate'
    ELSE row_reason
  END AS reason,
  date,
  campaign_id,
  adset_key AS adset_id,
  campaign_name,
  CASE WHEN level = 'adset' THEN adset_name END AS adset_name,
  owner,
  category,
  spend,
  revenue,
  clicks,
  conversions,
  impressions,
  sessions,
  account_id,
  meta_campaign_id,
  coalesce(reconciled_text IN ({{TRUE_WORDS}}), true) AS is_reconciled
FROM checked;
