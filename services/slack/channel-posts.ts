import type { WebClient } from '@slack/web-api';
import type { ChannelMessage } from '../../lib/slack/channel-message';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * Posts each message to the channel unless slack_channel_posts already has its key, recording each
 * one as soon as Slack accepts it: a retry after a failure part way, or a re-run of the day, posts
 * only what is missing. (Slack has no idempotency key, so a crash between Slack's answer and the
 * record could still post one message twice; the window is one insert.)
 */
export async function postOnce(
  warehouse: Warehouse,
  slack: WebClient,
  channel: string,
  messages: readonly ChannelMessage[],
): Promise<{ posted: number; already: number }> {
  let posted = 0;
  for (const m of messages) {
    if (await warehouse.one(sqlFile('slack/posted'), { post_key: m.key })) continue;
    const answer = await slack.chat.postMessage({
      channel,
      text: m.text,
      blocks: m.blocks,
      // Nothing in a message is markup: no @-names, no link previews.
      mrkdwn: false,
      link_names: false,
      unfurl_links: false,
      unfurl_media: false,
    });
    await warehouse.run(sqlFile('slack/record_post'), {
      post_key: m.key,
      channel: answer.channel ?? channel,
      ts: answer.ts ?? '',
    });
    posted += 1;
  }
  return { posted, already: messages.length - posted };
}
