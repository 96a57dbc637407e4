import { uniform, STREAM } from './rng';

/**
 * strateg.is reconciles revenue over the days after it happened: the first report (the morning
 * after) carries only part of it, later reports restate it upwards, and from RECONCILED_AFTER
 * days on it is final. The share missing on the first report is drawn per campaign and day (up
 * to 15%); each later report closes most of the gap.
 */
export const RECONCILED_AFTER = 4;
const MAX_FIRST_GAP = 0.15;
// Share of the first report's gap still open on the report `lag` days after the date.
const OPEN_SHARE = [1, 1, 0.35, 0.1];

/** Revenue (cents) as reported `lag` >= 1 days after the date, for final revenue `finalCents`. */
export function reportedRevenue(finalCents: number, lag: number, seed: number, campaign: number, day: number): number {
  if (lag >= RECONCILED_AFTER) return finalCents;
  const gap = MAX_FIRST_GAP * uniform(seed, STREAM.restatement, campaign, day);
  return Math.round(finalCents * (1 - gap * OPEN_SHARE[Math.max(1, lag)]!));
}

export function isReconciled(lag: number): boolean {
  return lag >= RECONCILED_AFTER;
}
