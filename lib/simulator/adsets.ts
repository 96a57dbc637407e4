import type { AudienceType } from '../levels';
import { optimalSpend, type TrueCurve } from './curves';
import { between, normal, STREAM, uniform } from './rng';

/**
 * One ad set of a campaign whose budgets live on its ad sets: its own audience, curve, budget
 * and noise. The campaign's numbers are the sum of its ad sets'.
 */
export interface AdsetSpec {
  /** Position within its campaign (the key of its random draws). */
  index: number;
  /** Meta's ad-set id (digits). */
  adset_id: string;
  adset_name: string;
  audienceType: AudienceType;
  curve: TrueCurve;
  /** Daily revenue noise, sd of its log. */
  noiseSd: number;
  initialBudgetCents: number;
}

/**
 * How each audience type bends the campaign's curve, fixed before any backtest was measured
 * (METRICS.md "Levels", seed 002): small audiences saturate first. Retargeting reaches people who
 * already met the offer, so its first dollar earns the most and it saturates earliest (a quarter
 * of the campaign's saturation); a lookalike is near the buyers and mid-sized; interests are
 * wider and convert like the campaign; broad is the largest audience with the coldest first
 * dollar. Small audiences are also noisier (fewer conversions a day).
 */
export const AUDIENCE_CURVES: Readonly<Record<AudienceType, { peak: number; k: number; noise: number }>> = {
  retargeting: { peak: 1.4, k: 0.25, noise: 1.3 },
  lookalike: { peak: 1.1, k: 0.6, noise: 1.0 },
  interest: { peak: 1.0, k: 0.5, noise: 1.1 },
  broad: { peak: 0.85, k: 1.5, noise: 0.9 },
};

/** How often buyers pick each audience type for an ad set (cumulative, in the order listed). */
const AUDIENCE_MIX: readonly [AudienceType, number][] = [
  ['broad', 0.3],
  ['lookalike', 0.6],
  ['interest', 0.85],
  ['retargeting', 1],
];

/** Each ad set's spread of first-dollar roas around its audience's (sd of its log): winners beside losers. */
const PEAK_SPREAD = 0.3;

/**
 * The 2-5 ad sets of campaign `campaign`, around its base curve. Buyers set each ad set's budget
 * by feel, like campaign budgets: good ones anywhere from well under to well over their best
 * spend, weak ones somewhere on their curve.
 */
export function adsetSpecs(
  seed: number,
  campaign: number,
  base: TrueCurve,
  baseNoise: number,
  metaCampaignId: string,
  prefix: string,
): AdsetSpec[] {
  const u = (a: number, key: number) => uniform(seed, STREAM.adsetSetup, campaign, a, key);
  const count = 2 + Math.floor(uniform(seed, STREAM.adsetSetup, campaign, -1) * 4);
  return Array.from({ length: count }, (_, a) => {
    const draw = u(a, 1);
    const audienceType = AUDIENCE_MIX.find(([, upTo]) => draw < upTo)![0];
    const shape = AUDIENCE_CURVES[audienceType];
    const peak = Math.min(
      5,
      Math.max(0.4, base.peak * shape.peak * Math.exp(PEAK_SPREAD * normal(seed, STREAM.adsetSetup, campaign, a, 2))),
    );
    const k = Math.max(15, base.k * shape.k * between(0.7, 1.3, seed, STREAM.adsetSetup, campaign, a, 3));
    const curve = { peak, k };
    const budget =
      peak > 1.15
        ? optimalSpend(curve) * between(0.35, 1.9, seed, STREAM.adsetSetup, campaign, a, 4)
        : k * between(0.2, 1.0, seed, STREAM.adsetSetup, campaign, a, 4);
    return {
      index: a,
      adset_id: `${metaCampaignId}${String(a + 1).padStart(2, '0')}`,
      adset_name: `${prefix}_${audienceType}_${a + 1}`,
      audienceType,
      curve,
      noiseSd: Math.min(0.4, baseNoise * shape.noise),
      initialBudgetCents: Math.max(1000, Math.round(budget * 100)),
    };
  });
}

/**
 * The purchase value Meta's pixel reports for an ad set's day (insights `action_values`): not
 * strateg.is revenue but a noisy, partial view of it (attribution misses about a fifth, and the
 * miss varies by ad set and day). What scaleflow splits a campaign row by when strateg.is has no
 * ad-set rows.
 */
export function metaPurchaseValue(
  seed: number,
  campaign: number,
  adset: number,
  day: number,
  revenueCents: number,
): number {
  const z = normal(seed, STREAM.metaValue, campaign, adset, day);
  return Math.round(revenueCents * 0.8 * Math.exp(0.25 * z - (0.25 * 0.25) / 2));
}
