import { z } from 'zod';
import type { Cents } from '../money';
import { confidenceLabel, confidenceLabelSchema, confidenceScore } from './confidence';

/**
 * Spend response curve, fitted per campaign from its own daily history:
 *
 *   revenue = a * spend^b        (dollars per day, 0 < b <= 1: concave, diminishing returns)
 *
 * - b, the elasticity: the least-squares slope of ln(revenue) on ln(spend) over the days with
 *   spend > 0 and revenue > 0, shrunk towards a prior B_PRIOR = 0.75 with weight KAPPA = 1:
 *     b = (Sxy + KAPPA * B_PRIOR) / (Sxx + KAPPA),   clamped to [B_MIN, 1]
 *   (Sxx, Sxy: centred sums of squares and products of the logs). A campaign that always spends
 *   about the same says nothing about its slope (Sxx near 0), so it gets the prior; one whose
 *   spend varied by 2x over two weeks (Sxx about 1.7) is mostly its own data. 0.75 means a
 *   campaign earns its next dollar at 0.75x its average roas, so margin-optimal spend sits where
 *   roas is 1/0.75 = 133%: close to the 130% scale rule buyers already trust.
 * - a, the scale: sum(revenue) / sum(spend^b) over every day with spend, so the curve reproduces
 *   the revenue the campaign really made at the spend it really had. Zero-revenue days count
 *   here, which a log fit cannot see.
 * - fit_error: root mean squared error of the daily revenue over the mean daily revenue
 *   (CV(RMSE)); null when the mean revenue is not positive.
 * - confidence (0..1) and confidence_label (high, medium, low): from the days, fit_error and the
 *   spend variation the fit saw (Sxx / (Sxx + KAPPA), the data's share of b), as
 *   lib/optimizer/confidence.ts defines them.
 */
export const MODEL = 'revenue = a * spend^b';
export const B_PRIOR = 0.75;
export const KAPPA = 1;
export const B_MIN = 0.1;

export const curveSchema = z.object({
  model: z.literal(MODEL),
  a: z.number().nonnegative(),
  b: z.number().min(B_MIN).max(1),
  /** Days with spend the fit used. */
  days: z.number().int().nonnegative(),
  fit_error: z.number().nullable(),
  confidence: z.number().min(0).max(1),
  confidence_label: confidenceLabelSchema,
});
export type Curve = z.infer<typeof curveSchema>;

export interface SpendDay {
  spend: Cents;
  revenue: Cents;
}

/** Fits the curve; null without a single day of spend (nothing to fit). */
export function fitCurve(history: readonly SpendDay[]): Curve | null {
  const days = history.filter((d) => d.spend > 0);
  if (days.length === 0) return null;

  const logs = days
    .filter((d) => d.revenue > 0)
    .map((d) => ({ x: Math.log(d.spend / 100), y: Math.log(d.revenue / 100) }));
  let sxx = 0;
  let sxy = 0;
  if (logs.length > 0) {
    const mx = logs.reduce((s, p) => s + p.x, 0) / logs.length;
    const my = logs.reduce((s, p) => s + p.y, 0) / logs.length;
    for (const p of logs) {
      sxx += (p.x - mx) ** 2;
      sxy += (p.x - mx) * (p.y - my);
    }
  }
  const b = Math.min(1, Math.max(B_MIN, (sxy + KAPPA * B_PRIOR) / (sxx + KAPPA)));
  const spread = sxx / (sxx + KAPPA);

  let revenue = 0;
  let scaled = 0;
  for (const d of days) {
    revenue += d.revenue / 100;
    scaled += (d.spend / 100) ** b;
  }
  const a = Math.max(0, revenue / scaled);

  const meanRevenue = revenue / days.length;
  let squares = 0;
  for (const d of days) squares += (d.revenue / 100 - a * (d.spend / 100) ** b) ** 2;
  const fitError = meanRevenue > 0 ? Math.sqrt(squares / days.length) / meanRevenue : null;

  return {
    model: MODEL,
    a,
    b,
    days: days.length,
    fit_error: fitError,
    confidence: confidenceScore(days.length, fitError, spread),
    confidence_label: confidenceLabel(days.length, fitError, spread),
  };
}

/** Expected daily revenue in cents at a daily spend in cents. */
export function revenueCents(curve: Pick<Curve, 'a' | 'b'>, spend: Cents): number {
  return spend <= 0 ? 0 : 100 * curve.a * (spend / 100) ** curve.b;
}

/** Expected roas in percent at a spend (exact, not rounded); null at zero spend. */
export function roasAt(curve: Pick<Curve, 'a' | 'b'>, spend: Cents): number | null {
  return spend <= 0 ? null : (revenueCents(curve, spend) / spend) * 100;
}
