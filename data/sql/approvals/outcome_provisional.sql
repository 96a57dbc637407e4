-- How many of one campaign's strateg.is rows (its ad sets' included) over [start, end] are still
-- provisional (is_reconciled false: strateg.is has not finished restating their revenue), and the
-- last such day. $1 campaign id, $2 start date, $3 end date
SELECT count(*)::INTEGER AS provisional, max(date)::VARCHAR AS last_provisional
FROM campaign_daily_facts
WHERE campaign_id = $1 AND date BETWEEN $2::DATE AND $3::DATE AND NOT is_reconciled;
