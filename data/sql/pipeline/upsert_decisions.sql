-- All of a day's decisions in one statement: $1 as_of, $2 a JSON array of decision rows.
INSERT INTO decisions (as_of, campaign_id, owner, bucket, trend, recommendation, confidence, reason, detail)
SELECT $1::DATE, d.campaign_id, d.owner, d.bucket, d.trend, d.recommendation, d.confidence, d.reason, d.detail::JSON
FROM (
  SELECT unnest(from_json($2, '[{"campaign_id":"VARCHAR","owner":"VARCHAR","bucket":"VARCHAR","trend":"VARCHAR","recommendation":"VARCHAR","confidence":"VARCHAR","reason":"VARCHAR","detail":"VARCHAR"}]')) AS d
)
ON CONFLICT (as_of, campaign_id) DO UPDATE SET
  owner = excluded.owner, bucket = excluded.bucket, trend = excluded.trend,
  recommendation = excluded.recommendation, confidence = excluded.confidence,
  reason = excluded.reason, detail = excluded.detail;
