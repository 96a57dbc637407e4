import { toCents, type Cents } from '../money';
import { pct, usd } from '../decisions/format';
import type { Option } from './allocate';
import { roasAt, type Curve } from './curve';
import type { PlannedRequest } from './request';

/** Which constraint set an end of a campaign's window. */
export type Limit = 'max_change_pct' | 'max_daily_spend_per_campaign' | 'min_daily_spend_per_campaign' | 'min_roas';

export type Bounds =
  | { option: Option; limits: { lo: Limit; hi: Limit } }
  | { off: 'no_history' | 'paused' | 'below_min_roas'; explanation: string };

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
 * Turning a campaign off (0) is always allowed; a paused campaign (current 0) stays paused,
 * since no percentage of 0 lets it restart. Each end remembers the constraint that set it, so a
 * recommendation at an end can say which one held it there.
 */
export function boundsFor(curve: Curve | null, current: Cents, request: PlannedRequest): Bounds {
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
  const lo = Math.ceil(low.at - 1e-9);
  let hi = Math.floor(high.at + 1e-9);
  let hiLimit = high.limit;
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
  return { option: { a: curve.a, b: curve.b, lo, hi }, limits: { lo: low.limit, hi: hiLimit } };
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
