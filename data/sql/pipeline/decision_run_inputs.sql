-- Whether a day's stored decisions are current: what they were computed from. $1 as_of, $2 level.
SELECT inputs FROM decision_runs WHERE as_of = $1::DATE AND level = $2;
