import type { SyncHour } from '../lib/meta/hour';
import { patched } from '@temporalio/workflow';
import { proxyOn } from './queues';

const retry = { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: ['ConfigError'] };
const warehouse = proxyOn('warehouse', { startToCloseTimeout: '1 minute', retry });
// A refused or unreachable mail server is retried for a while; the notices are already recorded.
const mail = proxyOn('warehouse', { startToCloseTimeout: '1 minute', retry: { ...retry, maximumAttempts: 10 } });

/** Newer runs post the hour's new notices to SLACK_CHANNEL when it is set (activities/slack/channel.ts). */
const SLACK_CHANNEL_NOTICES = 'slack-channel-today-notices';

/**
 * After an hour's snapshot is complete: today's alerts (delivery stopped, overspend) judged on it,
 * the new ones recorded once per entity, account day and type, and one email per owner. They
 * notify and never write to Meta.
 */
export async function notifyToday(hour: SyncHour): Promise<{ emails: number }> {
  const owners = await warehouse.recordTodayNotices({ hour });
  await Promise.all(owners.map((ref) => mail.sendTodayNotices(ref)));
  // Asked only when the refs say SLACK_CHANNEL is set: runs without it record no marker and no activity.
  if (owners.some((ref) => ref.slack) && patched(SLACK_CHANNEL_NOTICES)) await mail.postTodayNoticesToSlack({ hour });
  return { emails: owners.length };
}
