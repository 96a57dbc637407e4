/**
 * The hidden truth of one campaign: a concave, saturating spend -> revenue curve
 *
 *   revenue(s) = peak * k * (1 - exp(-s / k))       (dollars per day)
 *
 * `peak` is the roas of the first dollar, `k` the saturation point (dollars): the next dollar
 * earns peak * exp(-s / k), so the margin-optimal spend is k * ln(peak), and a campaign whose
 * first dollar earns less than a dollar (peak <= 1) loses money at every spend. Unlike the
 * optimiser's fitted a * s^b this curve flattens out completely, so the optimiser is tested on a
 * shape it does not assume.
 */
export interface TrueCurve {
  peak: number;
  /** Saturation, dollars per day. */
  k: number;
}

export function expectedRevenue(curve: TrueCurve, spendDollars: number): number {
  if (spendDollars <= 0) return 0;
  return curve.peak * curve.k * (1 - Math.exp(-spendDollars / curve.k));
}

/** Revenue of the next dollar at this spend. */
export function marginalRoas(curve: TrueCurve, spendDollars: number): number {
  return curve.peak * Math.exp(-Math.max(0, spendDollars) / curve.k);
}

/** The daily spend with the most margin: 0 when no spend pays. */
export function optimalSpend(curve: TrueCurve): number {
  return curve.peak <= 1 ? 0 : curve.k * Math.log(curve.peak);
}

/** The curve with its first-dollar roas multiplied (drift, fatigue): same saturation. */
export function scaled(curve: TrueCurve, quality: number): TrueCurve {
  return { peak: curve.peak * quality, k: curve.k };
}
