-- Today's alerts that were sent (issue 21 item 5): delivery stopped and overspend, judged after each
-- hourly spend sync. One row per entity, account day and type, so an alert is told once a day
-- however many hours it lasts. Kept apart from `alerts`: the daily evaluation expires the alerts it
-- did not raise and plans budget changes from them, and these only notify.
CREATE TABLE today_notices (
  report_date DATE NOT NULL,        -- the entity's ad account's own day
  entity_type VARCHAR NOT NULL,     -- campaign | adset
  entity_id   VARCHAR NOT NULL,
  type        VARCHAR NOT NULL,     -- delivery_stopped | overspend
  owner       VARCHAR NOT NULL,
  name        VARCHAR NOT NULL,
  reason      VARCHAR NOT NULL,
  numbers     JSON NOT NULL,        -- the snapshot's figures the alert was judged on
  snapshot_hour TIMESTAMPTZ NOT NULL,
  noticed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (report_date, entity_type, entity_id, type)
);
