-- The sync hour's snapshot as rows per (hour, campaign): each campaign exactly once, and its spend
-- in cents (the sandbox's unit) so the total compares exactly.
SELECT count(*) AS campaigns,
       coalesce(min(n), 0) AS fewest,
       coalesce(max(n), 0) AS most,
       coalesce(sum(spend_cents), 0) AS spend_cents
FROM (
  SELECT meta_campaign_id, count(*) AS n, sum(CAST(round(spend * 100) AS BIGINT)) AS spend_cents
  FROM meta_campaign_snapshots
  WHERE snapshot_hour = CAST($1 AS TIMESTAMPTZ)
  GROUP BY meta_campaign_id
);
