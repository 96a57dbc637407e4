import { toCents, type Cents } from '../money';
import { pct, usd } from '../decisions/format';
import type { Option } from './allocate';
import { roasAt, type Curve } from './curve';
import type { PlannedRequest } from './request';

/** Which constraint set an end of a campaign's window. */
export type Limit =
  'max_change_pct' | 'max_daily_spend_per_campaign' | 'min_daily_spend_per_campaign' | 'min_roas' | 'spend_range';

export type Bounds =
  | { option: Option; limits: { lo: Limit; hi: Limit } }
  | { off: 'no_history' | 'paused' | 'below_min_roas' | 'unprofitable'; explanation: string };

/**
 * How far (percent) past the daily spends a campaign has shown a recommendation may go: one
 * deliberate exploration step. Outside the spends it was fitted on the curve's shape is its
 * prior (b = 0.75), not the campaign's, so a recommendation there is a guess; 20% is a step
 * the next week's check can still judge, and the step after it is fitted on the new spends.
 */
export const EXPLORE_PCT = 20;

/** The lowest and highest daily spend (cents) among the days the curve was fitted on. */
export interface SeenSpend {
  min: Cents;
  max: Cents;
}

/**
 * Largest spend (cents) whose expected roas is still >= minRoas percent; Infinity when any spend
 * is fine, -1 when none is. roas = 100 * a * s^(b-1) falls as spend grows (b < 1).
 */
export function roasCeiling(curve: Pick<Curve, 'a' | 'b'>, minRoas: number): number {
  if (minRoas <= 0) return Infinity;
  if (curve.b >= 1) return curve.a * 100 >= minRoas ? Infinity : -1;
  let s = Math.floor(100 * ((100 * curve.a) / minRoas) ** (1 / (1 - curve.b)));
  if (!Number.isFinite(s)) return Infinity;
  // The power is exact to a few ulps; step down until the curve itself agrees.
  while (s > 0 && roasAt(curve, s)! < minRoas) s--;
  return s > 0 ? s : -1;
}

/**
 * Where a campaign may run, from its current budget and the request's constraints:
 * - max_change_pct gives [current * (1 - p), current * (1 + p)];
 * - min/max_daily_spend_per_campaign are hard limits, so the change window is clamped into them
 *   (a campaign above the max goes to the max even if that is a bigger cut than max_change_pct);
 * - min_roas caps the top, since expected roas falls as spend grows; a campaign that cannot
 *   keep min_roas even at its lowest allowed budget is cut to 0.
 * - the spends the fit has seen, widened by EXPLORE_PCT either way (and always holding today's
 *   budget, so the plan may keep it), narrow the window further (inside the constraints: where
 *   the two do not meet, the constraints' end nearest the seen spends holds);
 * - with the max_margin goal, a campaign whose curve loses money even at the lowest spend it
 *   has shown, or at today's budget if lower (roas falls as spend grows, so that is its best),
 *   goes to 0: no spend it has shown paid, and a lower one would be a guess.
 * Turning a campaign off (0) is always allowed; a paused campaign (current 0) stays paused,
 * since no percentage of 0 lets it restart. Each end remembers the constraint that set it, so a
 * recommendation at an end can say which one held it there.
 */
export function boundsFor(
  curve: Curve | null,
  current: Cents,
  request: PlannedRequest,
  seen: SeenSpend | null,
): Bounds {
  if (curve === null)
    return { off: 'no_history', explanation: 'no day with spend in its history: no curve to plan with' };
  if (current <= 0)
    return { off: 'paused', explanation: 'paused (current budget $0.00): the plan does not restart paused campaigns' };
  const { constraints } = request;
  const hardHi = toCentsFloor(constraints.max_daily_spend_per_campaign);
  const hardLo = Math.min(hardHi, toCentsCeil(constraints.min_daily_spend_per_campaign ?? 0));
  const p = constraints.max_change_pct / 100;
  const clamp = (x: number): { at: number; limit: Limit } =>
    x > hardHi
      ? { at: hardHi, limit: 'max_daily_spend_per_campaign' }
      : x < hardLo
        ? { at: hardLo, limit: 'min_daily_spend_per_campaign' }
        : { at: x, limit: 'max_change_pct' };
  const low = clamp(current * Math.max(0, 1 - p));
  const high = clamp(current * (1 + p));
  // Today's budget is always a place to stay, shown or not: the plan may keep it.
  const lowest = seen && Math.min(seen.min, current);
  if (request.optimization_goal === 'max_margin' && lowest && roasAt(curve, lowest)! <= 100)
    return {
      off: 'unprofitable',
      explanation: `expected ROAS at the lowest daily spend it has shown (${usd(lowest)}) is ${pct(round1(roasAt(curve, lowest)!))}: no spend it has shown paid`,
    };
  let lo = Math.ceil(low.at - 1e-9);
  let hi = Math.floor(high.at + 1e-9);
  let loLimit = low.limit;
  let hiLimit = high.limit;
  if (seen) {
    const seenLo = Math.min(current, Math.ceil(seen.min * (1 - EXPLORE_PCT / 100) - 1e-9));
    const seenHi = Math.max(current, Math.floor(seen.max * (1 + EXPLORE_PCT / 100) + 1e-9));
    const nextLo = Math.min(Math.max(lo, seenLo), hi);
    const nextHi = Math.max(Math.min(hi, seenHi), nextLo);
    if (nextLo > lo) [lo, loLimit] = [nextLo, 'spend_range'];
    if (nextHi < hi) [hi, hiLimit] = [nextHi, 'spend_range'];
  }
  const ceiling = roasCeiling(curve, constraints.min_roas);
  if (ceiling < hi) {
    hi = ceiling;
    hiLimit = 'min_roas';
  }
  if (hi < Math.max(lo, 1)) {
    const floor = Math.max(lo, 1);
    return {
      off: 'below_min_roas',
      explanation: `expected ROAS at its lowest allowed budget (${usd(floor)}) is ${pct(round1(roasAt(curve, floor)!))}, below min_roas ${constraints.min_roas}%`,
    };
  }
  return { option: { a: curve.a, b: curve.b, lo, hi }, limits: { lo: loLimit, hi: hiLimit } };
}

/** Dollars to cents rounding down, so a cap of $10.005 never allows $10.01. */
export function toCentsFloor(dollars: number): Cents {
  const cents = toCents(dollars);
  return cents / 100 > dollars ? cents - 1 : cents;
}

/** Dollars to cents rounding up, so a minimum of $10.004 is never met by $10.00. */
export function toCentsCeil(dollars: number): Cents {
  const cents = toCents(dollars);
  return cents / 100 < dollars ? cents + 1 : cents;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
