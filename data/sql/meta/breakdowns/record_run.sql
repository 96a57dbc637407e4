-- Account $2's day $1 has every breakdown in ($3: the account's time zone, whose day it is).
INSERT OR REPLACE INTO meta_breakdown_runs (day, account_id, time_zone, finished_at)
VALUES ($1::DATE, $2, $3, now());
