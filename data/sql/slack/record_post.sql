-- A channel message Slack accepted; kept once (a second record of the same key changes nothing).
INSERT INTO slack_channel_posts (post_key, channel, ts) VALUES ($post_key, $channel, $ts)
ON CONFLICT DO NOTHING;
