-- All of a day's decisions in one statement: $1 as_of, $2 a JSON array of decision rows, one per
-- entity (a campaign, or an ad set where the budget lives there).
INSERT INTO decisions (as_of, entity_type, entity_id, campaign_id, adset_id, audience_type, revenue_source, owner,
                       bucket, trend, recommendation, confidence, reason, detail)
SELECT $1::DATE, d.entity_type, d.entity_id, d.campaign_id, d.adset_id, d.audience_type, d.revenue_source, d.owner,
       d.bucket, d.trend, d.recommendation, d.confidence, d.reason, d.detail::JSON
FROM (
  SELECT unnest(from_json($2, '[{"entity_type":"VARCHAR","entity_id":"VARCHAR","campaign_id":"VARCHAR","adset_id":"VARCHAR","audience_type":"VARCHAR","revenue_source":"VARCHAR","owner":"VARCHAR","bucket":"VARCHAR","trend":"VARCHAR","recommendation":"VARCHAR","confidence":"VARCHAR","reason":"VARCHAR","detail":"VARCHAR"}]')) AS d
)
ON CONFLICT (as_of, entity_type, entity_id) DO UPDATE SET
  campaign_id = excluded.campaign_id, adset_id = excluded.adset_id, audience_type = excluded.audience_type,
  revenue_source = excluded.revenue_source, owner = excluded.owner, bucket = excluded.bucket, trend = excluded.trend,
  recommendation = excluded.recommendation, confidence = excluded.confidence,
  reason = excluded.reason, detail = excluded.detail;
