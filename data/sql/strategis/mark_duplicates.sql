-- A key repeated in one file: the first occurrence loads, each later one is quarantined. Grouping
-- finds the (rare) repeated keys far more cheaply than numbering every row of the file.
UPDATE strategis_checked AS s SET reason = 'duplicate'
FROM (
  SELECT date, campaign_id, adset_id, min(ordinal) AS first_ordinal
  FROM strategis_checked
  WHERE reason IS NULL AND NOT is_total
  GROUP BY date, campaign_id, adset_id
  HAVING count(*) > 1
) AS repeated
WHERE s.reason IS NULL AND NOT s.is_total
  AND s.date = repeated.date AND s.campaign_id = repeated.campaign_id AND s.adset_id = repeated.adset_id
  AND s.ordinal > repeated.first_ordinal;
