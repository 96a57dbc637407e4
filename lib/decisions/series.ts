import { z } from 'zod';
import { datesBetween, addDays, isoDateSchema, type IsoDate } from '../dates';
import { audienceTypeSchema, entityTypeSchema, revenueSourceSchema } from '../levels';
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
  /** Set on `daily_adset_metrics` rows (METRICS.md "Levels"); a row without them is the campaign's. */
  entity_type: entityTypeSchema.optional(),
  adset_id: z.string().min(1).nullish(),
  adset_name: z.string().nullish(),
  audience_type: audienceTypeSchema.nullish(),
  revenue_source: revenueSourceSchema.nullish(),
  /** Meta's learning_stage_info.status of the ad set (meta_adset_state). */
  learning_status: z.string().nullish(),
});
export type DailyRow = z.infer<typeof dailyRowSchema>;

/** An instant: ISO 8601 with an offset (`2025-10-12T14:00:00Z`) or epoch milliseconds. */
export const instantSchema = z.union([z.iso.datetime({ offset: true }), z.number()]);
export type Instant = z.infer<typeof instantSchema>;

/** A budget or status change: seen on Meta, or executed by scaleflow. Any number per campaign. */
export const changeFactSchema = z.object({
  campaign_id: z.string().min(1),
  /** Set when the change was made to one ad set: it cools that ad set down, not the campaign. */
  adset_id: z.string().min(1).nullish(),
  changed_at: instantSchema,
});
export type ChangeFact = z.infer<typeof changeFactSchema>;

export const dayPointSchema = z.object({ date: isoDateSchema, spend: amountSchema, revenue: amountSchema });
export type DayPoint = z.infer<typeof dayPointSchema>;

/**
 * One entity's daily history plus the facts the rules need besides its numbers: a campaign, or one
 * of its ad sets where the budget lives there (METRICS.md "Levels").
 */
export const campaignSeriesSchema = z.object({
  entity_type: entityTypeSchema.default('campaign'),
  campaign_id: z.string().min(1),
  adset_id: z.string().min(1).nullable().default(null),
  adset_name: z.string().nullable().default(null),
  audience_type: audienceTypeSchema.nullable().default(null),
  /** `allocated` when any day was split from the campaign's revenue (confidence one step lower). */
  revenue_source: revenueSourceSchema.nullable().default(null),
  learning_status: z.string().nullable().default(null),
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

type EntityField = 'entity_type' | 'adset_id' | 'adset_name' | 'audience_type' | 'revenue_source' | 'learning_status';
/** A series as callers build it: a campaign's needs none of the ad-set fields. */
export type CampaignSeriesInput = Omit<CampaignSeries, EntityField> & Partial<Pick<CampaignSeries, EntityField>>;

/** The series with a campaign's entity fields filled in where absent (no parse: thousands per run). */
export function withEntity(series: CampaignSeriesInput): CampaignSeries {
  return {
    ...series,
    entity_type: series.entity_type ?? (series.adset_id ? 'adset' : 'campaign'),
    adset_id: series.adset_id ?? null,
    adset_name: series.adset_name ?? null,
    audience_type: series.audience_type ?? null,
    revenue_source: series.revenue_source ?? null,
    learning_status: series.learning_status ?? null,
  };
}

export function toMillis(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}

/** The key an entity's rows and changes are grouped by. */
export function entityKey(r: { campaign_id: string; adset_id?: string | null }): string {
  return r.adset_id ? `adset/${r.adset_id}` : `campaign/${r.campaign_id}`;
}

/** The id a row names: the ad set's for an ad set, else the campaign's. */
export function entityIdOf(series: Pick<CampaignSeries, 'campaign_id' | 'adset_id'>): string {
  return series.adset_id ?? series.campaign_id;
}

/**
 * Groups view rows (any order, any number of campaigns or ad sets) into one series per entity,
 * sorted by campaign_id then entity, and attaches each entity's change facts (an ad set's are the
 * changes made to it). Name, owner, category and the ad set's state come from the entity's latest
 * row, so a renamed campaign shows its current name.
 */
export function groupRows(
  rows: readonly DailyRow[],
  changes: readonly ChangeFact[] = [],
  launchDates: ReadonlyMap<string, IsoDate> = new Map(),
): CampaignSeries[] {
  const byId = new Map<string, CampaignSeries & { latest: IsoDate }>();
  for (const row of rows) {
    const adsetId = row.entity_type === 'adset' || row.adset_id ? (row.adset_id ?? null) : null;
    const key = entityKey({ campaign_id: row.campaign_id, adset_id: adsetId });
    let series = byId.get(key);
    if (!series) {
      series = {
        entity_type: adsetId ? 'adset' : 'campaign',
        campaign_id: row.campaign_id,
        adset_id: adsetId,
        adset_name: null,
        audience_type: null,
        revenue_source: null,
        learning_status: null,
        campaign_name: '',
        owner: '',
        category: '',
        days: [],
        changes: [],
        latest: '',
      };
      byId.set(key, series);
    }
    series.days.push({ date: row.date, spend: row.spend, revenue: row.revenue });
    if (row.revenue_source === 'allocated' || (row.revenue_source && !series.revenue_source))
      series.revenue_source = row.revenue_source;
    if (row.date >= series.latest) {
      series.latest = row.date;
      series.campaign_name = row.campaign_name ?? series.campaign_name;
      series.owner = row.owner ?? series.owner;
      series.category = row.category ?? series.category;
      series.adset_name = row.adset_name ?? series.adset_name;
      series.audience_type = row.audience_type ?? series.audience_type;
      series.learning_status = row.learning_status ?? series.learning_status;
    }
  }
  for (const change of changes)
    byId
      .get(entityKey({ campaign_id: change.campaign_id, adset_id: change.adset_id }))
      ?.changes.push(change.changed_at);
  return [...byId.values()].sort(compareEntities).map(({ latest: _latest, ...series }) => ({
    ...series,
    // Campaign launch dates are keyed by campaign_id, an ad set's by entityKey (`adset/<id>`).
    launch_date: launchDates.get(series.adset_id ? entityKey(series) : series.campaign_id) ?? series.launch_date,
  }));
}

/** campaign_id, then the campaign before its ad sets, then adset_id: every list of entities is in this order. */
export function compareEntities(
  a: { campaign_id: string; adset_id?: string | null },
  b: { campaign_id: string; adset_id?: string | null },
): number {
  if (a.campaign_id !== b.campaign_id) return a.campaign_id < b.campaign_id ? -1 : 1;
  const x = a.adset_id ?? '';
  const y = b.adset_id ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
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
