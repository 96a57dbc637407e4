-- bench:api:large's rows, made inside DuckDB so 7.3 M rows take seconds rather than an hour of CSV
-- ingest (bench:ingest measures that). The same shape as generatedRows in test/reports/fixtures.ts:
-- six owners in turn, a category, roas level (0.6..1.5) and budget ($20..$419) per campaign, one in
-- ten launched in the last two weeks, spend 0.7..1.3 of budget and revenue 0.75..1.25 of level a day.
-- hash() of (seed, campaign, day, draw) is DuckDB's deterministic 64-bit hash: the same rows on
-- every run and machine. $1 campaigns, $2 days, $3 the last day (yesterday), $4 the seed.
INSERT INTO campaign_daily_facts (
  date, campaign_id, adset_id, campaign_name, owner, category, spend, revenue, is_reconciled, batch_id, loaded_at
)
WITH campaigns AS (
  SELECT
    c,
    'c' || lpad(CAST(c AS VARCHAR), 5, '0') AS campaign_id,
    ['ana', 'ben', 'carla', 'dev', 'erin', 'tj'][c % 6 + 1] AS owner,
    ['Dental', 'Legal', 'Roofing', 'Solar', 'Pets', 'Insurance', 'Auto', 'Travel'][
      CAST(hash($4, c, 1) % 8 AS BIGINT) + 1
    ] AS category,
    0.6 + CAST(hash($4, c, 2) % 1000000 AS DOUBLE) / 1e6 * 0.9 AS level,
    20 + CAST(hash($4, c, 3) % 400 AS BIGINT) AS budget,
    CASE WHEN c % 10 = 0 THEN $2 - 1 - CAST(hash($4, c, 4) % 14 AS BIGINT) ELSE 0 END AS first_day
  FROM range($1) t(c)
),
days AS (
  SELECT
    k.campaign_id,
    k.owner,
    k.category,
    k.category || 'Offer' || k.c || '_FB_' || upper(k.owner) AS campaign_name,
    CAST($3 AS DATE) - CAST($2 - 1 - d AS INTEGER) AS date,
    k.level,
    round(k.budget * (0.7 + CAST(hash($4, k.c, d, 5) % 1000000 AS DOUBLE) / 1e6 * 0.6) * 100) AS spend_cents,
    CAST(hash($4, k.c, d, 6) % 1000000 AS DOUBLE) / 1e6 AS noise
  FROM campaigns k, range($2) r(d)
  WHERE d >= k.first_day
)
SELECT
  date,
  campaign_id,
  '',
  campaign_name,
  owner,
  category,
  CAST(spend_cents / 100 AS DECIMAL(18, 2)),
  CAST(round(spend_cents * level * (0.75 + noise * 0.5)) / 100 AS DECIMAL(18, 2)),
  true,
  'bench-generated',
  TIMESTAMPTZ '2025-01-01 00:00:00+00'
FROM days;
