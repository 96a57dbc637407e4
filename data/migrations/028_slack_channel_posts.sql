-- What was posted to SLACK_CHANNEL (issue 22 item 2): one row per message, keyed by what it is about
-- (the day's summary, an alert, a today notice), written right after Slack answered. A retry or a
-- re-run of the day reads it first and skips what is here, so each is posted once.
CREATE TABLE slack_channel_posts (
  post_key   VARCHAR PRIMARY KEY,   -- summary/<date>, alert/<date>/<entity>/<type>, notice/<date>/<entity>/<type>
  channel    VARCHAR NOT NULL,      -- the channel id Slack answered with
  ts         VARCHAR NOT NULL,      -- the message's ts, which names it in Slack
  posted_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
