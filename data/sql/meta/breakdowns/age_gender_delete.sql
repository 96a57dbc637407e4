-- Account $2's day $1 out of meta_breakdown_age_gender, before the day is written again (same transaction).
DELETE FROM meta_breakdown_age_gender WHERE day = $1::DATE AND account_id = $2;
