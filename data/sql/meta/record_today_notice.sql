-- One of today's alerts, kept only the first time it is raised on its account day: the row comes
-- back only when it is new, and only new ones are sent.
INSERT INTO today_notices (report_date, entity_type, entity_id, type, owner, name, reason, numbers, snapshot_hour)
VALUES ($report_date::DATE, $entity_type, $entity_id, $type, $owner, $name, $reason, $numbers::JSON, $hour::TIMESTAMPTZ)
ON CONFLICT DO NOTHING
RETURNING entity_id;
