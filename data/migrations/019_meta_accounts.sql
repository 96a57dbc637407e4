-- Each ad account as Meta describes it (issue 21): its currency and its own time zone
-- (timezone_name), upserted by the hourly spend sync before it reads the account's pages. Every
-- day cut for an account (the snapshots' report_date, pacing, today's numbers) is in this zone;
-- config TZ stays the team's clock (the daily pipeline's schedule, the strateg.is day).
CREATE TABLE meta_accounts (
  account_id VARCHAR PRIMARY KEY,
  currency   VARCHAR NOT NULL,
  time_zone  VARCHAR NOT NULL,
  seen_hour  TIMESTAMPTZ NOT NULL,
  synced_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
