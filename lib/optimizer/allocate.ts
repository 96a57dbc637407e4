import type { Cents } from '../money';
import { revenueCents } from './curve';

/**
 * Marginal-gain allocation of a total budget over concave spend curves, in whole cents.
 *
 * Each campaign may be off (0) or run anywhere in [lo, hi]. For concave curves the optimum
 * equalises marginal gains: there is a price lambda per dollar such that every running campaign
 * spends where its next dollar earns lambda (clamped to its bounds), and runs at all only when
 * that beats being off. We take the smallest lambda whose allocation fits the budget, by
 * bisection over a fixed sequence of midpoints, then spend what a campaign's jump from 0 to its
 * lower bound left over on the campaigns already running (a second bisection, same rules, plus
 * a top-up of linear curves, which no price can split).
 *
 * Why a larger budget never lowers the objective F: every allocation is an exact argmax of
 * F - lambda * spend over whole cents. With budgets B1 < B2 the two bisections follow the same
 * midpoints until B2 accepts one that B1 rejects, so lambda2 <= lo1 (the last price B1 rejected,
 * whose allocation s(lo1) spends more than B1). Being an argmax at lo1, s(lo1) beats any
 * allocation x with spend <= B1 (in particular B1's plan after the fill):
 * F(s(lo1)) >= F(x) + lo1 * (spend(s(lo1)) - spend(x)) >= F(x); and s(lambda2) spends at least
 * as much as s(lo1), so by the same inequality F(s(lambda2)) >= F(s(lo1)). The fill only adds.
 * When the bisections never part, both plans share their running set and differ only in the
 * fill, itself monotone by the same argument, and in the linear top-up, which only adds to the
 * same campaigns at a constant positive gain. Keeping the current allocation when it is better
 * preserves this: once feasible it stays feasible for every larger budget.
 */
export type Goal = 'max_margin' | 'max_revenue';

export interface Option {
  /** Curve revenue = a * spend^b (dollars). */
  a: number;
  b: number;
  /** Bounds of a running campaign, in cents, lo <= hi. Off (0) is always allowed besides. */
  lo: Cents;
  hi: Cents;
}

export interface Allocation {
  spend: Cents[];
  /** The goal's objective in cents: margin (revenue - spend) or revenue, summed. */
  objective: number;
  /** Whether each campaign would run with an unlimited budget (false: it loses at every allowed spend). */
  worthRunning: boolean[];
  /** True when the current allocation was kept because the plan could not beat it. */
  keptCurrent: boolean;
}

const BISECTIONS = 100;

/** The goal's gain in cents at a spend. */
export function gain(o: Pick<Option, 'a' | 'b'>, spend: Cents, goal: Goal): number {
  if (spend <= 0) return 0;
  return revenueCents(o, spend) - (goal === 'max_margin' ? spend : 0);
}

/**
 * argmax over s in [lo, hi] (whole cents) of gain(s) - lambda * s, the smaller s on a tie; with
 * `allowOff`, 0 when nothing in [lo, hi] is strictly better than off.
 */
function bestAt(o: Option, lambda: number, goal: Goal, allowOff: boolean): Cents {
  // d revenue / d spend = a * b * (s/100)^(b-1); the margin goal pays 1 more per cent of spend.
  const mu = lambda + (goal === 'max_margin' ? 1 : 0);
  let from: Cents;
  let to: Cents;
  if (o.b >= 1 || mu <= 0) {
    // Linear, or nothing to pay for spend: the best is at an end.
    from = to = o.hi;
  } else {
    const stationary = 100 * ((o.a * o.b) / mu) ** (1 / (1 - o.b));
    // A concave function's integer maximum is next to its stationary point; two either side
    // absorb any rounding in the power.
    from = Math.max(o.lo, Math.floor(stationary) - 2);
    to = Math.min(o.hi, Math.ceil(stationary) + 2);
    if (!(from <= o.hi)) from = to = o.hi;
  }
  let best = o.lo;
  let bestValue = gain(o, o.lo, goal) - lambda * o.lo;
  for (let s = from; s <= to; s++) {
    const value = gain(o, s, goal) - lambda * s;
    if (value > bestValue) {
      best = s;
      bestValue = value;
    }
  }
  if (allowOff && best > 0 && !(bestValue > 0)) return 0;
  return best;
}

function total(values: readonly Cents[]): Cents {
  let sum = 0;
  for (const v of values) sum += v;
  return sum;
}

/** Smallest price in the fixed bisection whose allocation fits `budget` (0 when that fits). */
function cheapestFit(
  pick: (lambda: number) => Cents[],
  budget: Cents,
  top: number,
): { lambda: number; spend: Cents[] } {
  const atZero = pick(0);
  if (total(atZero) <= budget) return { lambda: 0, spend: atZero };
  let lo = 0;
  let hi = top;
  let spend = pick(hi);
  for (let i = 0; i < BISECTIONS; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    const trial = pick(mid);
    if (total(trial) <= budget) {
      hi = mid;
      spend = trial;
    } else {
      lo = mid;
    }
  }
  return { lambda: hi, spend };
}

/**
 * A linear curve (b = 1) earns the same on every dollar, so at the price where it ties it jumps
 * from its bottom to its top and a price cannot split it. What is left goes to the linear
 * campaigns with a positive gain per dollar, steepest first, in a fixed order: more money left
 * only ever adds to the same campaigns, so the objective still grows with the budget.
 */
function topUpLinear(growable: readonly (Option | null)[], spend: Cents[], budget: Cents, goal: Goal): Cents[] {
  let left = budget - total(spend);
  const slope = (o: Option) => o.a - (goal === 'max_margin' ? 1 : 0);
  const linear = growable
    .map((o, i) => ({ o, i }))
    .filter((x): x is { o: Option; i: number } => x.o !== null && x.o.b >= 1 && slope(x.o) > 0)
    .sort((x, y) => slope(y.o) - slope(x.o) || x.i - y.i);
  const result = [...spend];
  for (const { o, i } of linear) {
    if (left <= 0) break;
    const add = Math.min(o.hi - result[i]!, left);
    result[i]! += add;
    left -= add;
  }
  return result;
}

export function objectiveOf(options: readonly (Option | null)[], spend: readonly Cents[], goal: Goal): number {
  let sum = 0;
  options.forEach((o, i) => {
    if (o && spend[i]! > 0) sum += gain(o, spend[i]!, goal);
  });
  return sum;
}

/**
 * Allocates `budget` cents over `options` (null: must stay off). With `current` given and
 * feasible (each 0 or within its bounds, summing to at most the budget), the result is never
 * worse than it: when the plan cannot beat it, the current allocation is returned.
 */
export function allocate(
  options: readonly (Option | null)[],
  budget: Cents,
  goal: Goal,
  current?: readonly Cents[],
): Allocation {
  const live = options.map((o) => (o && o.hi > 0 && o.lo <= o.hi ? o : null));
  const pick = (lambda: number) => live.map((o) => (o ? bestAt(o, lambda, goal, true) : 0));

  // Above the best gain per cent any campaign can make, every campaign is off.
  let top = 1;
  for (const o of live) if (o) top = Math.max(top, gain(o, Math.max(o.lo, 1), goal) / Math.max(o.lo, 1) + 1);
  const lagrange = cheapestFit(pick, Math.max(0, budget), top);

  let spend = lagrange.spend;
  if (lagrange.lambda > 0) {
    // A campaign switching on jumps from 0 to its lower bound, which can leave money unspent:
    // give it to the campaigns that can take it without a jump (running, or free to start at
    // 0), each from where it is to its upper bound.
    const growable = live.map((o, i) => (o && (spend[i]! > 0 || o.lo === 0) ? { ...o, lo: spend[i]! } : null));
    const fill = (mu: number) => growable.map((o) => (o ? bestAt(o, mu, goal, false) : 0));
    spend = topUpLinear(growable, cheapestFit(fill, budget, lagrange.lambda).spend, budget, goal);
  }

  let objective = objectiveOf(live, spend, goal);
  let keptCurrent = false;
  if (current && isFeasible(live, current, budget)) {
    const currentObjective = objectiveOf(live, current, goal);
    if (currentObjective > objective) {
      spend = [...current];
      objective = currentObjective;
      keptCurrent = true;
    }
  }
  return { spend, objective, worthRunning: live.map((o) => o !== null && bestAt(o, 0, goal, true) > 0), keptCurrent };
}

function isFeasible(options: readonly (Option | null)[], current: readonly Cents[], budget: Cents): boolean {
  if (total(current) > budget) return false;
  return options.every((o, i) => {
    const c = current[i] ?? 0;
    return c === 0 || (o !== null && c >= o.lo && c <= o.hi);
  });
}
