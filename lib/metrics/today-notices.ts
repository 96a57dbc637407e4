import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { isSyncHour } from '../meta/hour';
import { STOPPED_HOURS, todayAlerts, type TodayEntity } from './today';

/**
 * Today's alerts as notices (issue 21 item 5): after each hourly spend sync, the alerts of the
 * entities that hour synced are recorded once per entity, account day and type, and the new ones
 * are emailed to the owner. They notify and never write: nothing here becomes an `alerts` row or a
 * proposal.
 */
export const todayNoticeSchema = z.object({
  type: z.enum(['delivery_stopped', 'overspend']),
  entity_type: z.enum(['campaign', 'adset']),
  entity_id: z.string().min(1),
  name: z.string(),
  owner: z.string().min(1),
  reason: z.string(),
  report_date: isoDateSchema,
  time_zone: z.string().min(1),
  /** Local times of the account's day: the snapshot's, and for delivery stopped the start of the quiet hours. */
  local_time: z.string(),
  quiet_since: z.string().nullable(),
  currency: z.string(),
  spend: z.string(),
  daily_budget: z.string().nullable(),
  pacing: z.number().nullable(),
});
export type TodayNotice = z.infer<typeof todayNoticeSchema>;

const syncHour = z.string().refine(isSyncHour, 'an hour as YYYY-MM-DDTHH:00:00Z');
export const noticeHourInput = z.object({ hour: syncHour });

export const noticeBatchSchema = z.object({
  hour: syncHour,
  owner: z.string().min(1),
  notices: z.array(todayNoticeSchema).min(1),
});
export type NoticeBatch = z.infer<typeof noticeBatchSchema>;

/** What the workflow carries: the hour and an owner with new notices, never their rows. */
export const noticeRefSchema = z.object({
  hour: syncHour,
  owner: z.string().min(1),
  /** SLACK_CHANNEL is set: the hour's notices are posted there too (absent otherwise, so history is as before). */
  slack: z.literal(true).optional(),
});
export type NoticeRef = z.infer<typeof noticeRefSchema>;

const HOUR_MS = 3_600_000;

/** The alerts of the entities whose latest snapshot is `hourMs`: one the hour did not sync is not judged again. */
export function noticesAt(entities: readonly TodayEntity[], hourMs: number): TodayNotice[] {
  const synced = entities.filter((e) => Date.parse(e.as_of) === hourMs);
  const byKey = new Map(synced.map((e) => [`${e.entity_type}/${e.entity_id}`, e]));
  return todayAlerts(synced).map((alert) => {
    const e = byKey.get(`${alert.entity_type}/${alert.entity_id}`)!;
    const since = hourMs - STOPPED_HOURS * HOUR_MS;
    return {
      ...alert,
      report_date: e.report_date,
      time_zone: e.time_zone,
      local_time: e.local_time,
      quiet_since: alert.type === 'delivery_stopped' ? format(new Date(since), 'HH:mm', { in: tz(e.time_zone) }) : null,
      currency: e.currency,
      spend: e.spend,
      daily_budget: e.daily_budget,
      pacing: e.pacing,
    };
  });
}

/** One batch per owner, owners in name order: each owner gets one email for the hour. */
export function batchesByOwner(hour: string, notices: readonly TodayNotice[]): NoticeBatch[] {
  const owners = [...new Set(notices.map((n) => n.owner))].sort();
  return owners.map((owner) => ({ hour, owner, notices: notices.filter((n) => n.owner === owner) }));
}

/** The owner's report recipients (REPORT_RECIPIENTS) and then their approvers, each once. */
export function noticeRecipients(
  owner: string,
  reportRecipients: readonly { owner: string; to: string }[],
  approvers: readonly string[],
): string[] {
  const own = reportRecipients.filter((r) => r.owner === owner.toLowerCase()).map((r) => r.to);
  const seen = new Set<string>();
  return [...own, ...approvers].filter((to) => {
    const key = to.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const LABELS: Record<TodayNotice['type'], string> = {
  delivery_stopped: 'delivery stopped',
  overspend: 'overspend',
};

/** What the email shows: plain words per notice, no markup (the templates escape). */
export function noticeView(batch: NoticeBatch) {
  const items = batch.notices.map((n) => ({
    ...n,
    label: LABELS[n.type],
    window:
      n.quiet_since === null
        ? `by ${n.local_time} ${n.time_zone} (${n.report_date})`
        : `from ${n.quiet_since} to ${n.local_time} ${n.time_zone} (${n.report_date})`,
  }));
  const kinds = [...new Set(items.map((i) => i.label))].join(', ');
  const names = items.map((i) => i.name).join(', ');
  return {
    owner: batch.owner,
    items,
    subject: `Today so far: ${kinds} - ${names} (${batch.owner})`,
  };
}
