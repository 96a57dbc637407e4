import { z } from 'zod';
import { datesBetween, addDays, isoDateSchema, type IsoDate } from '../dates';
import { roundTo, toCents, type Cents } from '../money';

/** DECIMAL money arrives from DuckDB as strings; numbers are accepted too (fixtures, JSON). */
export const amountSchema = z.union([z.string(), z.number()]).refine((v) => {
  try {
    toCents(v);
    return true;
  } catch {
    return false;
  }
}, 'an amount in dollars such as "123.45"');

/**
 * One row of the warehouse view `daily_campaign_metrics`. Only the columns the rules read are
 * required; the rest of the view's columns (margin, roas, clicks, ...) may ride along and are
 * ignored, since margin and roas are recomputed exactly from spend and revenue.
 */
export const dailyRowSchema = z.looseObject({
  date: isoDateSchema,
  campaign_id: z.string().min(1),
  campaign_name: z.string().nullish(),
  owner: z.string().nullish(),
  category: z.string().nullish(),
  spend: amountSchema,
  revenue: amountSchema,
});
export type DailyRow = z.infer<typeof dailyRowSchema>;

/** An instant: ISO 8601 with an offset (`2025-10-12T14:00:00Z`) or epoch milliseconds. */
export const instantSchema = z.union([z.iso.datetime({ offset: true }), z.number()]);
export type Instant = z.infer<typeof instantSchema>;

/** A budget or status change: seen on Meta, or executed by scaleflow. Any number per campaign. */
export const changeFactSchema = z.object({
  campaign_id: z.string().min(1),
  changed_at: instantSchema,
});
export type ChangeFact = z.infer<typeof changeFactSchema>;

export const dayPointSchema = z.object({ date: isoDateSchema, spend: amountSchema, revenue: amountSchema });
export type DayPoint = z.infer<typeof dayPointSchema>;

/** One campaign's daily history plus the facts the rules need besides its numbers. */
export const campaignSeriesSchema = z.object({
  campaign_id: z.string().min(1),
  campaign_name: z.string().default(''),
  owner: z.string().default(''),
  category: z.string().default(''),
  /** Any order; a missing date is a day without spend or revenue; a repeated date is summed. */
  days: z.array(dayPointSchema),
  /**
   * First day with spend > 0 (METRICS.md "Launches"). Leave it out when `days` reaches back to the
   * launch; pass it (from the launch facts) when `days` is only the recent window.
   */
  launch_date: isoDateSchema.nullish(),
  /** Budget or status changes on Meta or by scaleflow; the latest one not after `now` counts. */
  changes: z.array(instantSchema).default([]),
});
export type CampaignSeries = z.infer<typeof campaignSeriesSchema>;

export function toMillis(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}

/**
 * Groups view rows (any order, any number of campaigns) into one series per campaign, sorted by
 * campaign_id, and attaches each campaign's change facts. Name, owner and category come from the
 * campaign's latest row, so a renamed campaign shows its current name.
 */
export function groupRows(
  rows: readonly DailyRow[],
  changes: readonly ChangeFact[] = [],
  launchDates: ReadonlyMap<string, IsoDate> = new Map(),
): CampaignSeries[] {
  const byId = new Map<string, CampaignSeries & { latest: IsoDate }>();
  for (const row of rows) {
    let series = byId.get(row.campaign_id);
    if (!series) {
      series = {
        campaign_id: row.campaign_id,
        campaign_name: '',
        owner: '',
        category: '',
        days: [],
        changes: [],
        latest: '',
      };
      byId.set(row.campaign_id, series);
    }
    series.days.push({ date: row.date, spend: row.spend, revenue: row.revenue });
    if (row.date >= series.latest) {
      series.latest = row.date;
      series.campaign_name = row.campaign_name ?? series.campaign_name;
      series.owner = row.owner ?? series.owner;
      series.category = row.category ?? series.category;
    }
  }
  for (const change of changes) byId.get(change.campaign_id)?.changes.push(change.changed_at);
  return [...byId.values()]
    .sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0))
    .map(({ latest: _latest, ...series }) => ({
      ...series,
      launch_date: launchDates.get(series.campaign_id) ?? series.launch_date,
    }));
}

/**
 * The dates of a window ending yesterday, newest first, as a lookup from date to its offset
 * (0 = yesterday). Built once per run and shared by every campaign, so no row is date-parsed.
 */
export interface WindowIndex {
  yesterday: IsoDate;
  length: number;
  /** dates[k] = yesterday - k */
  dates: IsoDate[];
  offsetOf: Map<IsoDate, number>;
}

export function windowIndex(yesterday: IsoDate, length: number): WindowIndex {
  const dates = datesBetween(addDays(yesterday, -(length - 1)), yesterday).reverse();
  return { yesterday, length, dates, offsetOf: new Map(dates.map((d, k) => [d, k])) };
}

/** A campaign's exact daily totals over a window, newest first (index 0 = yesterday). */
export interface DailyTotals {
  spend: Cents[];
  revenue: Cents[];
  /** First day with spend > 0 on or before yesterday, from the facts or from the rows. */
  launchDate: IsoDate | null;
}

export function dailyTotals(series: CampaignSeries, index: WindowIndex): DailyTotals {
  const spend = new Array<number>(index.length).fill(0);
  const revenue = new Array<number>(index.length).fill(0);
  let firstSpend: IsoDate | null = null;
  for (const day of series.days) {
    // Rows after yesterday are not known as of as_of: ignoring them keeps answers reproducible.
    if (day.date > index.yesterday) continue;
    const k = index.offsetOf.get(day.date);
    if (k !== undefined) {
      spend[k]! += toCents(day.spend);
      revenue[k]! += toCents(day.revenue);
    }
    if (series.launch_date == null && (firstSpend === null || day.date < firstSpend) && toCents(day.spend) > 0)
      firstSpend = day.date;
  }
  const launch = series.launch_date ?? firstSpend;
  return { spend, revenue, launchDate: launch !== null && launch <= index.yesterday ? launch : null };
}

/** Totals over the first `days` entries (yesterday back), in cents. */
export function sumDays(values: readonly Cents[], days: number): Cents {
  let sum = 0;
  for (let k = 0; k < days && k < values.length; k++) sum += values[k]!;
  return sum;
}

/** roas in percent to one decimal (METRICS.md); null without spend. */
export function roasPct(revenue: Cents, spend: Cents): number | null {
  return spend === 0 ? null : roundTo((revenue / spend) * 100, 1);
}
