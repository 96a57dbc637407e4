-- Whether a channel message was posted already (a retry or a re-run skips it).
SELECT post_key FROM slack_channel_posts WHERE post_key = $post_key;
