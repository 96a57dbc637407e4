SELECT
  count(*) FILTER (WHERE is_total) AS skipped,
  count(*) FILTER (WHERE reason IS NOT NULL) AS quarantined,
  count(*) FILTER (WHERE reason IS NULL AND NOT is_total) AS accepted
FROM strategis_checked;
