import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { roasPct } from '../decisions/series';
import { addDays, startOfDayIn, type IsoDate } from '../dates';
import { formatMoneyIn } from '../currency';
import { centsToString, roundTo, toCents } from '../money';

/**
 * Today so far (issue 21), from each budget entity's latest completed hourly Meta snapshot: spend
 * against budget, Meta's purchase value and a provisional ROAS on it, and two alerts that only
 * notify. The day and its hours are the entity's ad account's own (its time zone), so a Tokyo
 * account's noon is not Los Angeles'.
 *
 * The alerts are judged here rather than as rule files: delivery stopped compares two snapshots
 * three hours apart (the rule engine sees only the latest), both need the local hour of the day
 * (no rule metric has it), and alert rules run once a day in the daily pipeline, not hourly.
 */
export const TODAY_NOTE =
  "Provisional: Meta's spend and purchase value so far today, from the latest hourly sync; strateg.is reconciles revenue tomorrow.";

/** Hours of its own day an active entity with a budget may go without spending before it is flagged. */
export const STOPPED_HOURS = 3;
/** Spend so far over the budget's share of the day gone above which an entity overspends... */
export const OVERSPEND_PACING = 1.5;
/** ...judged from mid-day (12:00 local) on, when the pace has had half a day to settle. */
export const OVERSPEND_FROM = 0.5;

/** A row of data/sql/metrics/today.sql. */
export interface TodayRow {
  entity_type: 'campaign' | 'adset';
  entity_id: string;
  meta_campaign_id: string;
  account_id: string;
  campaign_id: string | null;
  owner: string;
  name: string;
  status: string;
  currency: string;
  daily_budget: string | null;
  spend: string;
  purchase_value: string;
  /** Spend at the completed hour three hours before, on the same report day; null when not synced. */
  spend_3h_before: string | null;
  report_date: IsoDate;
  as_of_ms: number;
  time_zone: string;
}

export type TodayAlertType = 'delivery_stopped' | 'overspend';

export interface TodayAlert {
  type: TodayAlertType;
  entity_type: 'campaign' | 'adset';
  entity_id: string;
  name: string;
  owner: string;
  reason: string;
}

export interface TodayEntity {
  entity_type: 'campaign' | 'adset';
  entity_id: string;
  meta_campaign_id: string;
  campaign_id: string | null;
  account_id: string;
  owner: string;
  name: string;
  status: string;
  currency: string;
  /** The account's day and zone, and the local time of the snapshot (HH:mm). */
  report_date: IsoDate;
  time_zone: string;
  as_of: string;
  local_time: string;
  day_elapsed_pct: number;
  daily_budget: string | null;
  spend: string;
  spent_pct: number | null;
  /** Spend so far / (daily budget x share of the day gone); null without a daily budget. */
  pacing: number | null;
  purchase_value: string;
  /** Meta's purchase value / spend x 100, one decimal (METRICS.md roas on Meta's value). */
  provisional_roas: number | null;
  alerts: TodayAlertType[];
}

const HOUR_MS = 3_600_000;

/** The share of the entity's own day gone at its snapshot hour (0..1), DST days included. */
function dayShare(r: TodayRow): { share: number; hoursIn: number } {
  const start = startOfDayIn(r.time_zone, r.report_date);
  const end = startOfDayIn(r.time_zone, addDays(r.report_date, 1));
  const gone = Math.min(Math.max(r.as_of_ms - start, 0), end - start);
  return { share: gone / (end - start), hoursIn: gone / HOUR_MS };
}

export function judgeToday(r: TodayRow): TodayEntity {
  const spend = toCents(r.spend);
  const budget = r.daily_budget === null ? null : toCents(r.daily_budget);
  const { share, hoursIn } = dayShare(r);
  const hasBudget = budget !== null && budget > 0;
  const pacing = hasBudget && share > 0 ? spend / (budget * share) : null;
  const active = r.status === 'ACTIVE';
  const alerts: TodayAlertType[] = [];
  if (active && hasBudget && hoursIn >= STOPPED_HOURS) {
    // Three hours back is before the day began: the day's spend started from zero.
    const before = hoursIn - STOPPED_HOURS < 1e-9 ? 0 : r.spend_3h_before === null ? null : toCents(r.spend_3h_before);
    if (before !== null && spend <= before) alerts.push('delivery_stopped');
  }
  if (active && pacing !== null && share >= OVERSPEND_FROM && pacing > OVERSPEND_PACING) alerts.push('overspend');
  return {
    entity_type: r.entity_type,
    entity_id: r.entity_id,
    meta_campaign_id: r.meta_campaign_id,
    campaign_id: r.campaign_id,
    account_id: r.account_id,
    owner: r.owner,
    name: r.name,
    status: r.status,
    currency: r.currency,
    report_date: r.report_date,
    time_zone: r.time_zone,
    as_of: new Date(r.as_of_ms).toISOString(),
    local_time: format(new Date(r.as_of_ms), 'HH:mm', { in: tz(r.time_zone) }),
    day_elapsed_pct: roundTo(share * 100, 1),
    daily_budget: budget === null ? null : centsToString(budget),
    spend: centsToString(spend),
    spent_pct: hasBudget ? roundTo((spend / budget) * 100, 1) : null,
    pacing: pacing === null ? null : roundTo(pacing, 2),
    purchase_value: centsToString(toCents(r.purchase_value)),
    provisional_roas: roasPct(toCents(r.purchase_value), spend),
    alerts,
  };
}

function reasonOf(type: TodayAlertType, e: TodayEntity): string {
  // In the account's own currency and digits: "a ¥30,000 daily budget", "$90.00 of $100.00".
  const money = (amount: string | null) => formatMoneyIn(toCents(amount ?? '0'), e.currency);
  return type === 'delivery_stopped'
    ? `no spend in the last ${STOPPED_HOURS} hours (${e.local_time} ${e.time_zone}), active with a ${money(e.daily_budget)} daily budget`
    : `spent ${money(e.spend)} of ${money(e.daily_budget)} by ${e.local_time} ${e.time_zone}: ${e.pacing}x the pace of its budget`;
}

/** Each alert an entity raised, with its reason: they notify, and never propose a Meta write. */
export function todayAlerts(entities: readonly TodayEntity[]): TodayAlert[] {
  return entities.flatMap((e) =>
    e.alerts.map((type) => ({
      type,
      entity_type: e.entity_type,
      entity_id: e.entity_id,
      name: e.name,
      owner: e.owner,
      reason: reasonOf(type, e),
    })),
  );
}

/** Sums per currency (an account's money is never added to another currency's). */
export function todayTotals(entities: readonly TodayEntity[]) {
  const byCurrency = new Map<string, { spend: number; budget: number; value: number }>();
  for (const e of entities) {
    const t = byCurrency.get(e.currency) ?? { spend: 0, budget: 0, value: 0 };
    t.spend += toCents(e.spend);
    t.budget += e.daily_budget === null ? 0 : toCents(e.daily_budget);
    t.value += toCents(e.purchase_value);
    byCurrency.set(e.currency, t);
  }
  return [...byCurrency].map(([currency, t]) => ({
    currency,
    spend: centsToString(t.spend),
    daily_budget: centsToString(t.budget),
    purchase_value: centsToString(t.value),
    provisional_roas: roasPct(t.value, t.spend),
  }));
}
