import type { Cents } from '../money';
import { EXPLORE_PCT } from './bounds';
import { B_MIN, B_PRIOR, KAPPA, type SpendDay } from './curve';

/**
 * One-sided 90% normal quantile. A raise is sized on the slope the data beats 9 times in 10, not
 * on its best guess: most failed raises stepped past the optimum of a curve whose slope was the prior's.
 */
export const Z_LOWER = 1.2816;

/**
 * The smallest raise worth making (percent of today's budget). Below EXPLORE_PCT on purpose: a
 * campaign that always spent the same is allowed at most one 20% step, so a minimum above 20%
 * would hold every such raise without saying so.
 */
export const MIN_STEP_PCT = 10;

export interface CautiousOptimum {
  /** The fitted slope (as fitCurve's), its posterior standard error, and its lower bound. */
  b: number;
  se: number;
  bLo: number;
  /** Margin-optimal daily spend (cents) of the curve of slope bLo through the same revenue; Infinity at bLo 1. */
  optimumCents: number;
}

/**
 * The margin-optimal budget at the lower bound of the slope. Same fit as fitCurve (log revenue on
 * log spend, prior B_PRIOR with weight KAPPA in units of Sxx), so the slope's posterior variance is
 * sigma^2 / (Sxx + KAPPA), sigma^2 the residual variance of log revenue over n - 2 days. With no
 * spend variation (Sxx = 0) the bound is the prior minus Z_LOWER * sigma: the noisier the days,
 * the flatter the curve is assumed to bend, and the lower its optimum. a is refitted at bLo so
 * the curve still makes the revenue the campaign made; the optimum solves a * bLo * s^(bLo - 1) = 1.
 * Null with fewer than 3 days of spend and revenue (no residual variance to speak of).
 */
export function cautiousOptimum(history: readonly SpendDay[]): CautiousOptimum | null {
  const logs = history
    .filter((d) => d.spend > 0 && d.revenue > 0)
    .map((d) => ({ x: Math.log(d.spend / 100), y: Math.log(d.revenue / 100) }));
  const n = logs.length;
  if (n < 3) return null;
  const mx = logs.reduce((s, p) => s + p.x, 0) / n;
  const my = logs.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of logs) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const b = Math.min(1, Math.max(B_MIN, (sxy + KAPPA * B_PRIOR) / (sxx + KAPPA)));
  let squares = 0;
  for (const p of logs) squares += (p.y - my - b * (p.x - mx)) ** 2;
  const se = Math.sqrt(squares / (n - 2) / (sxx + KAPPA));
  const bLo = Math.min(1, Math.max(B_MIN, b - Z_LOWER * se));
  if (bLo >= 1) return { b, se, bLo, optimumCents: Infinity };
  let revenue = 0;
  let scaled = 0;
  for (const d of history) {
    if (d.spend <= 0) continue;
    revenue += d.revenue / 100;
    scaled += (d.spend / 100) ** bLo;
  }
  const a = revenue / scaled;
  return { b, se, bLo, optimumCents: 100 * (a * bLo) ** (1 / (1 - bLo)) };
}

/**
 * Where a scale-up goes: the smaller of the cautious optimum, one exploration step (EXPLORE_PCT)
 * above today's budget, and `capCents` (the alert's step, the optimiser's budget); null (hold)
 * when that is under minStepPct above today's, i.e. the curve cannot say the optimum is above it.
 */
export function scaleStepCents(
  history: readonly SpendDay[],
  currentCents: Cents,
  capCents: Cents,
  minStepPct = MIN_STEP_PCT,
): Cents | null {
  const cautious = cautiousOptimum(history);
  if (cautious === null || currentCents <= 0) return null;
  const to = Math.floor(Math.min(cautious.optimumCents, currentCents * (1 + EXPLORE_PCT / 100), capCents));
  return to >= currentCents * (1 + minStepPct / 100) && to > currentCents ? to : null;
}
