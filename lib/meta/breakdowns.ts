import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { centsToString, toCents } from '../money';
import { purchaseStat } from './wire';
import { AD_ACCOUNT_ID, BREAKDOWNS, type Breakdown } from './breakdown-input';

/**
 * Meta insights by breakdown (issue 21): the five breakdowns the daily breakdown sync reads, the
 * Graph parameters of each, and one wire row as the warehouse row of its table
 * (data/migrations/018_breakdowns.sql). Rows are read at level=adset, so each carries its campaign
 * and ad set; the warehouse decides which of the two holds the budget.
 */
export { BREAKDOWNS, type Breakdown, type BreakdownSyncInput } from './breakdown-input';
export const breakdownSchema = z.enum(BREAKDOWNS);

/** `scaleflow run breakdownSync --account A --date D` and the workflow's own check. */
export const breakdownSyncInputSchema = z.object({
  account: z.string().regex(AD_ACCOUNT_ID, 'an ad account id such as act_1001'),
  /** The account's own calendar day, in its time zone (timezone_name on Meta). */
  date: isoDateSchema,
});

export const HOURLY = 'hourly_stats_aggregated_by_advertiser_time_zone';

/** Meta's `breakdowns` parameter of each. */
export const META_BREAKDOWNS: Record<Breakdown, readonly string[]> = {
  age_gender: ['age', 'gender'],
  placement: ['publisher_platform', 'platform_position', 'impression_device'],
  country: ['country'],
  region: ['region'],
  hour: [HOURLY],
};

export const BREAKDOWN_FIELDS = [
  'campaign_id',
  'adset_id',
  'spend',
  'impressions',
  'clicks',
  'actions',
  'action_values',
];

const actionStat = z.object({ action_type: z.string(), value: z.string() });

/** A breakdown row as Meta writes it: the breakdown's own keys beside the metrics, numbers as strings. */
export const breakdownWireSchema = z
  .object({
    campaign_id: z.string().min(1),
    adset_id: z.string().min(1),
    spend: z.string().default('0'),
    impressions: z.string().default('0'),
    clicks: z.string().default('0'),
    actions: z.array(actionStat).optional(),
    action_values: z.array(actionStat).optional(),
  })
  .catchall(z.unknown());
export type BreakdownWire = z.infer<typeof breakdownWireSchema>;

/** One row for the warehouse: the breakdown's key columns, then the metrics as exact strings and integers. */
export type BreakdownRow = Record<string, string | number>;

const HOUR_SLOT = /^(\d{2}):00:00 - \1:59:59$/;

/** '13:00:00 - 13:59:59' is hour 13 of the account's day. */
export function hourOfSlot(slot: string): number {
  const match = HOUR_SLOT.exec(slot);
  const hour = match ? Number(match[1]) : NaN;
  if (!(hour >= 0 && hour <= 23)) throw new RangeError(`not an hourly slot of Meta's: ${JSON.stringify(slot)}`);
  return hour;
}

function keyOf(wire: BreakdownWire, name: string): string {
  const value = wire[name];
  if (typeof value !== 'string' || value === '')
    throw new RangeError(`a breakdown row without ${name}: ${JSON.stringify(wire)}`);
  return value;
}

export function breakdownRow(breakdown: Breakdown, wire: BreakdownWire): BreakdownRow {
  const keys: BreakdownRow =
    breakdown === 'hour'
      ? { hour: hourOfSlot(keyOf(wire, HOURLY)) }
      : Object.fromEntries(META_BREAKDOWNS[breakdown].map((name) => [name, keyOf(wire, name)]));
  return {
    campaign_id: wire.campaign_id,
    adset_id: wire.adset_id,
    ...keys,
    spend: centsToString(toCents(wire.spend)),
    impressions: Number(wire.impressions),
    clicks: Number(wire.clicks),
    purchases: Number(purchaseStat(wire.actions) ?? 0),
    purchase_value: centsToString(toCents(purchaseStat(wire.action_values) ?? '0')),
  };
}

/**
 * A breakdown page on its way from a meta worker to the warehouse through the spool, as the spend
 * sync's pages go (lib/meta/spool.ts): named by what it is, so a retried read overwrites it.
 */
export const breakdownPageRefSchema = z.object({
  day: isoDateSchema,
  account: z.string().regex(AD_ACCOUNT_ID, 'an ad account id such as act_1001'),
  breakdown: breakdownSchema,
  page: z.number().int().min(0).max(99_999),
});
export type BreakdownPageRef = z.infer<typeof breakdownPageRefSchema>;

export const breakdownSpoolFileSchema = z.object({
  ref: breakdownPageRefSchema,
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
});
export type BreakdownSpoolFile = z.infer<typeof breakdownSpoolFileSchema>;

/** The spool's folder for one account's day: removed once the day is recorded. */
export function breakdownDayDir(day: string, account: string): string {
  const ref = breakdownPageRefSchema.parse({ day, account, breakdown: 'hour', page: 0 });
  return `breakdowns/${ref.day}/${ref.account}`;
}

/** `breakdowns/<day>/<account>/<breakdown>-<page>.json` inside SPOOL_DIR. */
export function breakdownPagePath(ref: BreakdownPageRef): string {
  const checked = breakdownPageRefSchema.parse(ref);
  return `${breakdownDayDir(checked.day, checked.account)}/${checked.breakdown}-${String(checked.page).padStart(5, '0')}.json`;
}

export interface SpooledBreakdownPage {
  ref: BreakdownPageRef;
  rows: number;
  after?: string;
}
