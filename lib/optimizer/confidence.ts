import { z } from 'zod';

export const confidenceLabelSchema = z.enum(['high', 'medium', 'low']);
export type ConfidenceLabel = z.infer<typeof confidenceLabelSchema>;

/**
 * How far a fitted curve can be trusted, as a word and as the PRD's number in 0..1.
 *
 * The word: high with >= 14 days of spend, fit_error <= 0.25 and spend variation that carries
 * at least half of the slope (spread >= 0.5); medium with >= 7 days, fit_error <= 0.5 and
 * spread >= 0.2; else low (no fit error, i.e. no revenue at all, is low).
 *
 * spread is the data's share of the fitted slope b: Sxx / (Sxx + KAPPA) (lib/optimizer/curve.ts),
 * 0 when the spend never moved (b is then the prior, not the data: a curve that fits its days
 * exactly says nothing about any other spend), 0.5 at Sxx = 1 (e.g. 28 days whose log spend
 * varies with sd 0.19, about +-20%), 0.2 at Sxx = 0.25.
 *
 * The number is the weakest of three pieces of evidence, each linear between the points below:
 *   days of spend:  0 -> 0,  7 -> 0.4,  14 -> 0.8,  28 (the whole lookback) and more -> 1
 *   fit_error:      0 -> 1,  0.25 -> 0.8,  0.5 -> 0.4,  1 and more -> 0   (null -> 0)
 *   spread:         0 -> 0,  0.2 -> 0.4,  0.5 -> 0.8,  1 -> 1
 * All pass through 0.8 and 0.4 exactly at the word's thresholds and are strictly monotone there,
 * so min(days, fit, spread) >= 0.8 exactly when the word is high and >= 0.4 exactly when it is at
 * least medium: the number says what the word says, and orders curves within a word. Reported to two
 * decimals and kept in its word's band (high 0.80-1, medium 0.40-0.79, low 0-0.39), so rounding
 * never moves it across a threshold.
 */
export const HIGH = 0.8;
export const MEDIUM = 0.4;

const DAY_POINTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [7, MEDIUM],
  [14, HIGH],
  [28, 1],
];
const FIT_POINTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.25, HIGH],
  [0.5, MEDIUM],
  [1, 0],
];
const SPREAD_POINTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.2, MEDIUM],
  [0.5, HIGH],
  [1, 1],
];

/** Piecewise-linear through `points` (x ascending), flat beyond the ends. */
function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  const first = points[0]!;
  if (x <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const [x0, y0] = points[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1]![1];
}

export function confidenceLabel(days: number, fitError: number | null, spread: number): ConfidenceLabel {
  if (fitError === null) return 'low';
  if (days >= 14 && fitError <= 0.25 && spread >= 0.5) return 'high';
  if (days >= 7 && fitError <= 0.5 && spread >= 0.2) return 'medium';
  return 'low';
}

export function confidenceScore(days: number, fitError: number | null, spread: number): number {
  const raw =
    fitError === null
      ? 0
      : Math.min(interpolate(DAY_POINTS, days), interpolate(FIT_POINTS, fitError), interpolate(SPREAD_POINTS, spread));
  const band: Record<ConfidenceLabel, readonly [number, number]> = {
    high: [HIGH, 1],
    medium: [MEDIUM, HIGH - 0.01],
    low: [0, MEDIUM - 0.01],
  };
  const [lo, hi] = band[confidenceLabel(days, fitError, spread)];
  return Math.min(hi, Math.max(lo, Math.round(raw * 100) / 100));
}
