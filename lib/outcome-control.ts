import type { Direction, WindowTotals } from './outcomes';

/**
 * ROAS buckets (percent, baseline week) a control must share with the changed entity: a campaign
 * losing money, one near break-even, a modest winner and a strong one react differently to the
 * same market, so only like is compared with like. Lower bounds, inclusive.
 */
export const ROAS_BUCKETS = [
  { name: '<80', min: -Infinity },
  { name: '80-100', min: 80 },
  { name: '100-130', min: 100 },
  { name: '>=130', min: 130 },
] as const;
export type RoasBucket = (typeof ROAS_BUCKETS)[number]['name'];

/** The bucket of a week's totals; null when nothing was spent (no ROAS, nothing to match on). */
export function roasBucketOf(w: WindowTotals): RoasBucket | null {
  if (w.spendCents <= 0) return null;
  const roas = (w.revenueCents / w.spendCents) * 100;
  let bucket: RoasBucket = ROAS_BUCKETS[0].name;
  for (const b of ROAS_BUCKETS) if (roas >= b.min) bucket = b.name;
  return bucket;
}

/** A candidate control: an unchanged entity's baseline and outcome weeks, the same days as the change's. */
export interface ControlWindows {
  id: string;
  before: WindowTotals;
  after: WindowTotals;
}

export interface ControlResult {
  /** Controls that matched (same ROAS bucket in the baseline week, some spend in it). */
  control_count: number;
  /** Difference in differences, dollars of margin per day at the changed entity's spend; null with no control. */
  did_margin_per_day: number | null;
  /** raise: did > 0; cut: did >= 0 (METRICS.md's rule, against the controls instead of the week before). */
  right_vs_control: boolean | null;
}

const marginPerDay = (w: WindowTotals) => (w.days === 0 ? 0 : (w.revenueCents - w.spendCents) / 100 / w.days);
const spendPerDay = (w: WindowTotals) => (w.days === 0 ? 0 : w.spendCents / 100 / w.days);

/**
 * The change against matched unchanged entities over the same days. Each control's move in margin
 * per day is taken per dollar of its baseline spend per day and scaled to the changed entity's
 * baseline spend: a market-wide swing (auction prices, a season) moves margin roughly in
 * proportion to spend, so a $50/day control's $5 swing predicts $10 on a $100/day campaign. Raw
 * dollar means would let one large control decide the verdict of a small campaign.
 */
export function compareWithControls(
  direction: Direction,
  changed: { before: WindowTotals; after: WindowTotals },
  candidates: readonly ControlWindows[],
): ControlResult {
  const bucket = roasBucketOf(changed.before);
  const controls = bucket === null ? [] : candidates.filter((c) => roasBucketOf(c.before) === bucket);
  if (controls.length === 0) return { control_count: 0, did_margin_per_day: null, right_vs_control: null };
  const perDollar =
    controls.reduce((sum, c) => sum + (marginPerDay(c.after) - marginPerDay(c.before)) / spendPerDay(c.before), 0) /
    controls.length;
  const expected = perDollar * spendPerDay(changed.before);
  const did = marginPerDay(changed.after) - marginPerDay(changed.before) - expected;
  // Cents: the stored figure is money, and a verdict should not hang on float dust.
  const rounded = Math.round(did * 100) / 100;
  return {
    control_count: controls.length,
    did_margin_per_day: rounded,
    right_vs_control: direction === 'raise' ? rounded > 0 : rounded >= 0,
  };
}
