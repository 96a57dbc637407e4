import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { ownerApprovers } from '../../lib/approvals/approvers';
import { approverPolicyOrFail } from '../approvals/approvers-file';
import type { Config } from '../../lib/config';
import { dateIn } from '../../lib/dates';
import { judgeToday, type TodayRow } from '../../lib/metrics/today';
import {
  batchesByOwner,
  noticeRecipients,
  noticesAt,
  noticeView,
  todayNoticeSchema,
  type NoticeRef,
} from '../../lib/metrics/today-notices';
import type { Mailer } from '../mail/transport';
import { logger } from '../observability/logger';
import { rootDir } from '../paths';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * Judges today's alerts on the hour just synced, over the rows the today answer reads
 * (metrics/today.sql for the team's day of that hour), and keeps the new ones: a notice already
 * recorded for the entity, account day and type is not returned again.
 */
export async function recordTodayNotices(warehouse: Warehouse, config: Config, hour: string): Promise<NoticeRef[]> {
  const hourMs = Date.parse(hour);
  const rows = await warehouse.all<TodayRow>(sqlFile('metrics/today'), {
    as_of: dateIn(config.TZ, new Date(hourMs)),
    owner: 'all',
    tz: config.TZ,
  });
  const fresh = [];
  for (const notice of noticesAt(rows.map(judgeToday), hourMs)) {
    const inserted = await warehouse.one(sqlFile('meta/record_today_notice'), {
      report_date: notice.report_date,
      entity_type: notice.entity_type,
      entity_id: notice.entity_id,
      type: notice.type,
      owner: notice.owner,
      name: notice.name,
      reason: notice.reason,
      numbers: JSON.stringify({
        currency: notice.currency,
        spend: notice.spend,
        daily_budget: notice.daily_budget,
        pacing: notice.pacing,
        local_time: notice.local_time,
        quiet_since: notice.quiet_since,
        time_zone: notice.time_zone,
      }),
      hour,
    });
    if (inserted) fresh.push(notice);
  }
  const slack = config.SLACK_CHANNEL && config.SLACK_BOT_TOKEN ? { slack: true as const } : {};
  return batchesByOwner(hour, fresh).map(({ owner }) => ({ hour, owner, ...slack }));
}

/** The owner's approvers from APPROVERS_FILE; none when there is no file (then the report recipients alone). */
function approversOf(config: Config, owner: string): string[] {
  if (!existsSync(config.APPROVERS_FILE)) return [];
  return ownerApprovers(approverPolicyOrFail(config.APPROVERS_FILE), owner);
}

const templates = new Map<string, Handlebars.TemplateDelegate>();
function template(name: string): Handlebars.TemplateDelegate {
  let compiled = templates.get(name);
  if (!compiled) {
    const file = join(rootDir, 'services/notices/templates', `${name}.hbs`);
    compiled = Handlebars.compile(readFileSync(file, 'utf8'), { noEscape: name.endsWith('.txt') });
    templates.set(name, compiled);
  }
  return compiled;
}

/**
 * One email for an owner's new notices of the hour, built from their rows here (the workflow
 * carries only the hour and the owner). Its Message-ID is fixed per hour and owner,
 * so a retry after a lost answer reaches the inbox as the same message.
 */
export async function sendTodayNotices(
  config: Config,
  warehouse: Warehouse,
  mailer: Mailer,
  { hour, owner }: NoticeRef,
): Promise<{ sent: number }> {
  const rows = await warehouse.all(sqlFile('meta/owner_today_notices'), { hour, owner });
  const batch = { hour, owner, notices: rows.map((r) => todayNoticeSchema.parse(r)) };
  const to = noticeRecipients(batch.owner, config.REPORT_RECIPIENTS, approversOf(config, batch.owner));
  const view = noticeView(batch);
  if (to.length === 0) {
    // Recorded but unsent: say so where ops look, naming what would fix it.
    logger().warn(
      { owner: batch.owner, hour: batch.hour, notices: batch.notices.length },
      `${batch.owner} has no REPORT_RECIPIENTS entry and APPROVERS_FILE=${config.APPROVERS_FILE} does not exist: ${batch.notices.length} notice(s) of ${batch.hour} not emailed`,
    );
    return { sent: 0 };
  }
  const sent = await mailer.send({
    to,
    subject: view.subject,
    html: template('today-notices')(view),
    text: template('today-notices.txt')(view),
    messageId: `<today-notices.${batch.hour}.${encodeURIComponent(batch.owner)}@scaleflow>`,
  });
  if (sent.rejected.length) throw new Error(`the mail server refused ${sent.rejected.join(', ')}`);
  // Only a count goes back into history: the subject names entities.
  return { sent: to.length };
}
