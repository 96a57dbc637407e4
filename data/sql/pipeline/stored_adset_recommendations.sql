-- A stored day's ad-set recommendations, $1 as_of: the dashboard's ad-set rows (few; campaigns' are
-- joined in data/sql/metrics/dashboard_campaigns.sql). `hold` is what an ad set without a row gets anyway.
SELECT entity_id AS adset_id, recommendation
FROM decisions
WHERE as_of = $1::DATE AND entity_type = 'adset' AND recommendation <> 'hold';
