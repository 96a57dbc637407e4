-- Which of the account-days in $1 (JSON [{"account":..,"day":..}]) are recorded already.
SELECT r.account_id AS account, r.day::VARCHAR AS day
FROM meta_breakdown_runs r
JOIN (SELECT unnest(from_json($1::JSON, '[{"account":"VARCHAR","day":"DATE"}]'), recursive := true)) w
  ON w.account = r.account_id AND w.day = r.day;
