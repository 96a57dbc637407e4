-- The alerts a stored day's evaluation raised that would raise a budget (a margin gain), $1 as_of.
-- Every raised alert of the day is stored whatever its status; `expired` only ever marks earlier days'.
SELECT DISTINCT campaign_id, adset_id
FROM alerts
WHERE as_of = $1::DATE AND potential_margin_gain IS NOT NULL;
