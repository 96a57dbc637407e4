-- Account $2's day $1 out of meta_breakdown_country, before the day is written again (same transaction).
DELETE FROM meta_breakdown_country WHERE day = $1::DATE AND account_id = $2;
