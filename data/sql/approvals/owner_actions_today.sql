-- Budget writes executed for an owner on a given local day. $1 owner, $2 date, $3 time zone
SELECT count(*)::INTEGER AS n
FROM audit_log
WHERE event = 'written' AND owner = $1 AND (recorded_at AT TIME ZONE $3)::DATE = $2::DATE;
