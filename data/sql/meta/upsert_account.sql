-- One ad account's currency ($3) and time zone ($4) as Meta gave them in hour $1's sync.
INSERT INTO meta_accounts (account_id, currency, time_zone, seen_hour, synced_at)
VALUES ($2, $3, $4, $1::TIMESTAMPTZ, now())
ON CONFLICT (account_id) DO UPDATE SET
  currency = excluded.currency,
  time_zone = excluded.time_zone,
  seen_hour = excluded.seen_hour,
  synced_at = excluded.synced_at;
