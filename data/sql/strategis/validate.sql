-- The SQL twin of lib/strategis/row.ts: same patterns, same rule order, same reason codes.
-- Reads the temp view strategis_input (one VARCHAR per contract column, already trimmed, NULL when
-- the file lacks it); the {{...}} patterns are scaleflow's own constants, substituted before this
-- runs. Keys repeated in the file are marked afterwards by mark_duplicates.sql.
INSERT INTO strategis_checked
WITH cells AS (
  SELECT
    ordinal,
    lower(coalesce(first_cell, '')) IN ('total', 'totals', 'grand total') AS is_total,
    nullif(campaign_id, '') AS campaign_id,
    nullif(date, '') AS date_text,
    nullif(spend, '') AS spend_text,
    nullif(revenue, '') AS revenue_text,
    nullif(margin, '') AS margin_text,
    nullif(clicks, '') AS clicks_text,
    nullif(conversions, '') AS conversions_text,
    nullif(impressions, '') AS impressions_text,
    nullif(sessions, '') AS sessions_text,
    lower(nullif(is_reconciled, '')) AS reconciled_text,
    nullif(campaign_name, '') AS campaign_name,
    lower(nullif(owner, '')) AS owner,
    nullif(category, '') AS category,
    nullif(account_id, '') AS account_id,
    nullif(meta_campaign_id, '') AS meta_campaign_id,
    lower(nullif(level, '')) AS level,
    nullif(adset_id, '') AS adset_id,
    nullif(adset_name, '') AS adset_name,
    -- lib/strategis/row.ts textCellProblem: on the cells as read (before lower()), one CASE for
    -- every text column; strlen (bytes, free) screens length() (code points, a scan)
    CASE
      WHEN regexp_matches(concat(campaign_id, campaign_name, owner, category, account_id, meta_campaign_id, level, adset_id, adset_name),
                          '{{CONTROL_CHARACTER}}') THEN 'control_character'
      WHEN greatest(strlen(campaign_id), strlen(campaign_name), strlen(owner), strlen(category), strlen(account_id),
                    strlen(meta_campaign_id), strlen(level), strlen(adset_id), strlen(adset_name)) > {{MAX_TEXT_LENGTH}}
       AND greatest(length(campaign_id), length(campaign_name), length(owner), length(category), length(account_id),
                    length(meta_campaign_id), length(level), length(adset_id), length(adset_name)) > {{MAX_TEXT_LENGTH}} THEN 'too_long'
    END AS text_reason
  FROM strategis_input
),
-- DuckDB's own casts, cheap next to the patterns. A cell whose text is exactly how DuckDB prints
-- the cast value (2025-10-12, 456.70, 571) is one the pattern accepts with that same value, so
-- the common row skips the patterns and the $/, stripping; every other cell takes the full rules.
cast_values AS (
  SELECT
    *,
    TRY_CAST(date_text AS DATE) AS date_cast,
    TRY_CAST(spend_text AS DECIMAL(18, 2)) AS spend_cast,
    TRY_CAST(revenue_text AS DECIMAL(18, 2)) AS revenue_cast,
    TRY_CAST(margin_text AS DECIMAL(18, 2)) AS margin_cast,
    TRY_CAST(clicks_text AS BIGINT) AS clicks_cast,
    TRY_CAST(conversions_text AS BIGINT) AS conversions_cast,
    TRY_CAST(impressions_text AS BIGINT) AS impressions_cast,
    TRY_CAST(sessions_text AS BIGINT) AS sessions_cast
  FROM cells
),
typed AS (
  SELECT
    * EXCLUDE (date_cast, spend_cast, revenue_cast, margin_cast, clicks_cast, conversions_cast, impressions_cast, sessions_cast),
    CASE
      -- 10 characters: the ISO pattern wants a 4-digit year, and DuckDB prints 10000-01-01 as it is
      WHEN length(date_text) = 10 AND CAST(date_cast AS VARCHAR) = date_text THEN date_cast
      WHEN regexp_full_match(date_text, '{{ISO_DATE}}') THEN CAST(try_strptime(date_text, '%Y-%m-%d') AS DATE)
      WHEN regexp_full_match(date_text, '{{US_DATE}}') THEN CAST(try_strptime(date_text, '%m/%d/%Y') AS DATE)
    END AS date,
    -- the money pattern allows 13 integer digits, DECIMAL(18, 2) holds 16
    CASE
      WHEN CAST(spend_cast AS VARCHAR) = spend_text AND abs(spend_cast) < 10000000000000 THEN spend_cast
      WHEN regexp_full_match(spend_text, '{{MONEY}}') THEN CAST(replace(replace(spend_text, '$', ''), ',', '') AS DECIMAL(18, 2))
    END AS spend,
    CASE
      WHEN CAST(revenue_cast AS VARCHAR) = revenue_text AND abs(revenue_cast) < 10000000000000 THEN revenue_cast
      WHEN regexp_full_match(revenue_text, '{{MONEY}}') THEN CAST(replace(replace(revenue_text, '$', ''), ',', '') AS DECIMAL(18, 2))
    END AS revenue,
    CASE
      WHEN CAST(margin_cast AS VARCHAR) = margin_text AND abs(margin_cast) < 10000000000000 THEN margin_cast
      WHEN regexp_full_match(margin_text, '{{MONEY}}') THEN CAST(replace(replace(margin_text, '$', ''), ',', '') AS DECIMAL(18, 2))
    END AS margin,
    -- the integer pattern allows 15 digits, BIGINT holds 19
    CASE
      WHEN CAST(clicks_cast AS VARCHAR) = clicks_text AND clicks_cast BETWEEN -999999999999999 AND 999999999999999 THEN clicks_cast
      WHEN regexp_full_match(clicks_text, '{{INTEGER}}') THEN CAST(replace(clicks_text, ',', '') AS BIGINT)
    END AS clicks,
    CASE
      WHEN CAST(conversions_cast AS VARCHAR) = conversions_text AND conversions_cast BETWEEN -999999999999999 AND 999999999999999 THEN conversions_cast
      WHEN regexp_full_match(conversions_text, '{{INTEGER}}') THEN CAST(replace(conversions_text, ',', '') AS BIGINT)
    END AS conversions,
    CASE
      WHEN CAST(impressions_cast AS VARCHAR) = impressions_text AND impressions_cast BETWEEN -999999999999999 AND 999999999999999 THEN impressions_cast
      WHEN regexp_full_match(impressions_text, '{{INTEGER}}') THEN CAST(replace(impressions_text, ',', '') AS BIGINT)
    END AS impressions,
    CASE
      WHEN CAST(sessions_cast AS VARCHAR) = sessions_text AND sessions_cast BETWEEN -999999999999999 AND 999999999999999 THEN sessions_cast
      WHEN regexp_full_match(sessions_text, '{{INTEGER}}') THEN CAST(replace(sessions_text, ',', '') AS BIGINT)
    END AS sessions
  FROM cast_values
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
      CASE WHEN reconciled_text IS NOT NULL AND reconciled_text NOT IN ({{BOOLEAN_WORDS}}) THEN 'invalid_is_reconciled' END,
      CASE WHEN owner = '{{RESERVED_OWNER}}' THEN 'reserved_owner' END
    ) AS field_reasons
  FROM typed
),
checked AS (
  SELECT
    *,
    CASE
      WHEN is_total THEN NULL
      WHEN text_reason IS NOT NULL THEN text_reason
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
  row_reason AS reason,
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
