import { yesterdayOf } from '../dates';
import type { CellRow } from '../reports/arrow';
import { formatDay, formatMoney, formatPercent } from '../reports/format';

/**
 * Messages for SLACK_CHANNEL: the morning summary, a day's alert, a today notice. Each has a key
 * naming what it is about, so it is posted once however often the day is run.
 */
export interface ChannelMessage {
  key: string;
  /** The fallback Slack shows in notifications; escaped, since Slack reads <...> in it as mentions and links. */
  text: string;
  blocks: ReturnType<typeof section>[];
}

// Slack's own three escapes for message text (https://api.slack.com/reference/surfaces/formatting#escaping):
// without them a campaign named "<!channel>" would notify everyone.
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Blocks are plain_text only: a campaign name or reason is shown as typed, never read as a mention or link.
const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'plain_text' as const, text: text.slice(0, 3000), emoji: false },
});

const message = (key: string, lines: string[]): ChannelMessage => ({
  key,
  text: slackEscape(lines[0]!),
  blocks: lines.map(section),
});

/** The most proposals one summary lists; the rest are counted (a section holds 3,000 characters). */
export const SUMMARY_LIST_LIMIT = 20;

/**
 * The morning summary from the team report's saved datasets (the rows the team email is built
 * from): yesterday's totals (010_summary), the alerts in play and what is awaiting approval (060_alerts).
 */
export function summaryMessage(asOf: string, summary: CellRow[], alerts: CellRow[]): ChannelMessage {
  const metric = (name: string) => summary.find((r) => r.metric === name);
  const active = Number(summary[0]?.active_campaigns ?? 0);
  const day = formatDay(yesterdayOf(asOf));
  const totals =
    active === 0
      ? `No campaign spent anything on ${day}.`
      : `${day}, ${active} campaign${active === 1 ? '' : 's'}: spend ${formatMoney(metric('spend')?.yesterday)}, ` +
        `revenue ${formatMoney(metric('revenue')?.yesterday)}, margin ${formatMoney(metric('margin')?.yesterday)}, ` +
        `ROAS ${formatPercent(metric('roas')?.yesterday)}.`;
  const inPlay = alerts.filter((r) => r.campaign_id !== null);
  const awaiting = inPlay.filter((r) => r.approval_state === 'awaiting approval');
  const counts = `Alerts: ${inPlay.length} in play, ${awaiting.length} awaiting approval.`;
  const listed = awaiting
    .slice(0, SUMMARY_LIST_LIMIT)
    .map((r) => `- ${String(r.campaign_name)} (${String(r.owner)}): ${String(r.alert)}, ${String(r.approval)}`);
  if (awaiting.length > SUMMARY_LIST_LIMIT) listed.push(`- and ${awaiting.length - SUMMARY_LIST_LIMIT} more`);
  const proposed = listed.length
    ? // The approve links are signed for one approver each, so they go to that person (email or DM), never here.
      [
        `Proposed, awaiting approval (each approver has their own approve link by email or Slack):\n${listed.join('\n')}`,
      ]
    : ['Nothing awaits approval.'];
  return message(`summary/${asOf}`, [`Morning summary for ${asOf}`, totals, counts, ...proposed]);
}

/** One of the day's alerts (a 060_alerts row raised on asOf). */
export function alertMessage(asOf: string, row: CellRow): ChannelMessage {
  const entity = `${String(row.entity_type)}/${String(row.entity_type === 'adset' ? row.adset_id : row.campaign_id)}`;
  const perDay = Number(row.per_day);
  const worth = Number.isFinite(perDay)
    ? perDay < 0
      ? `losing ${formatMoney(-perDay)} a day`
      : `worth ${formatMoney(perDay)} a day`
    : '';
  return message(`alert/${asOf}/${entity}/${String(row.type)}`, [
    `Alert: ${String(row.campaign_name)} (${String(row.owner)}): ${String(row.alert)}${worth && `, ${worth}`}`,
    `${String(row.reason)}\n${String(row.approval)}`,
  ]);
}

/** A today notice as the email's noticeView item words it. */
export function noticeMessage(item: {
  type: string;
  entity_type: string;
  entity_id: string;
  report_date: string;
  label: string;
  name: string;
  owner: string;
  reason: string;
  window: string;
}): ChannelMessage {
  return message(`notice/${item.report_date}/${item.entity_type}/${item.entity_id}/${item.type}`, [
    `Today so far, ${item.label}: ${item.name} (${item.owner})`,
    `${item.reason}, ${item.window}`,
  ]);
}
