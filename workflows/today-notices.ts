import type { SyncHour } from '../lib/meta/hour';
import { proxyOn } from './queues';

const retry = { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: ['ConfigError'] };
const warehouse = proxyOn('warehouse', { startToCloseTimeout: '1 minute', retry });
// A refused or unreachable mail server is retried for a while; the notices are already recorded.
const mail = proxyOn('warehouse', { startToCloseTimeout: '1 minute', retry: { ...retry, maximumAttempts: 10 } });

/**
 * After an hour's snapshot is complete: today's alerts (delivery stopped, overspend) judged on it,
 * the new ones recorded once per entity, account day and type, and one email per owner. They
 * notify and never write to Meta.
 */
export async function notifyToday(hour: SyncHour): Promise<{ emails: number }> {
  const owners = await warehouse.recordTodayNotices({ hour });
  await Promise.all(owners.map((ref) => mail.sendTodayNotices(ref)));
  return { emails: owners.length };
}
