import { z } from 'zod';
import { audienceTypeSchema, entityTypeSchema, revenueSourceSchema } from '../levels';
import { roundTo, type Cents } from '../money';
import { pct, usd } from './format';
import { confidenceFor } from './level';
import { roasPct, sumDays, toMillis, type CampaignSeries, type DailyTotals, type WindowIndex } from './series';
import { coefficientOfVariation } from './stats';
import { effectiveScalePct, type Thresholds } from './thresholds';

export const bucketSchema = z.enum(['winner', 'average', 'loser']);
export const trendSchema = z.enum(['improving', 'declining', 'stable', 'volatile']);
export const confidenceSchema = z.enum(['high', 'medium', 'low']);
/**
 * `scale_<pct>_percent` (pct = scale_pct capped by max_scale_pct), `hold`, `pause`, `retest`, or
 * `cooldown`: inside the cooldown there is no recommendation, and saying `cooldown` (rather than
 * leaving it empty) tells the buyer why and that it is deliberate.
 */
export const recommendationSchema = z.union([
  z.templateLiteral(['scale_', z.number(), '_percent']),
  z.enum(['hold', 'pause', 'retest', 'cooldown']),
]);

/**
 * One entity's row of `GET /api/facebook/decisions` (a campaign, or an ad set where the budget lives
 * there; METRICS.md "Levels"). Money in dollars, roas in percent.
 */
export const decisionSchema = z.object({
  entity_type: entityTypeSchema,
  /** The ad set's id for an ad set, else the campaign's. */
  entity_id: z.string(),
  campaign_id: z.string(),
  /** Null for a campaign. */
  adset_id: z.string().nullable(),
  adset_name: z.string().nullable(),
  /** Ad sets only (null for a campaign): the audience type that scales the step, and where the revenue came from. */
  audience_type: audienceTypeSchema.nullable(),
  revenue_source: revenueSourceSchema.nullable(),
  campaign_name: z.string(),
  owner: z.string(),
  bucket: bucketSchema,
  trend: trendSchema,
  recommendation: recommendationSchema,
  confidence: confidenceSchema,
  reason: z.string(),
  roas_1d: z.number().nullable(),
  roas_3d: z.number().nullable(),
  roas_7d: z.number().nullable(),
  spend_3d: z.number(),
  spend_7d: z.number(),
  /** Days of the 7-day window with spend > 0: the "days of data" behind confidence. */
  days_with_spend_7d: z.number().int(),
  /** Population CV of the daily roas over the days with spend; null with fewer than two such days. */
  roas_cv_7d: z.number().nullable(),
  launch_date: z.string().nullable(),
  /** ISO instant the cooldown ends, when inside it. */
  cooldown_until: z.string().nullable(),
});
export type Decision = z.infer<typeof decisionSchema>;
export type Bucket = z.infer<typeof bucketSchema>;
export type Trend = z.infer<typeof trendSchema>;
export type Confidence = z.infer<typeof confidenceSchema>;
export type Recommendation = z.infer<typeof recommendationSchema>;

/** What decideCampaign derives before it writes the reason; alerts reuse it. */
interface Windows {
  r1: number | null;
  r3: number | null;
  r7: number | null;
  spend3: Cents;
  spend7: Cents;
  daysWithSpend: number;
  cv: number | null;
}

function windows(totals: DailyTotals): Windows {
  const { spend, revenue } = totals;
  const dailyRoas: number[] = [];
  let daysWithSpend = 0;
  for (let k = 0; k < 7; k++) {
    if (spend[k]! > 0) {
      daysWithSpend++;
      dailyRoas.push(roasPct(revenue[k]!, spend[k]!)!);
    }
  }
  const spend3 = sumDays(spend, 3);
  const spend7 = sumDays(spend, 7);
  return {
    r1: roasPct(revenue[0]!, spend[0]!),
    r3: roasPct(sumDays(revenue, 3), spend3),
    r7: roasPct(sumDays(revenue, 7), spend7),
    spend3,
    spend7,
    daysWithSpend,
    cv: coefficientOfVariation(dailyRoas),
  };
}

// Thresholds compare the one-decimal roas people see, so "130.0%" is never called a winner.
function bucketOf(r3: number | null, t: Thresholds): Bucket {
  if (r3 !== null && r3 > t.winner_roas) return 'winner';
  if (r3 !== null && r3 < t.loser_roas) return 'loser';
  return 'average';
}

// A missing day (no spend yesterday) cannot be ordered, so the trend is stable rather than guessed.
function trendOf(w: Windows, t: Thresholds): Trend {
  if (w.cv !== null && w.cv > t.volatility_cv) return 'volatile';
  const { r1, r3, r7 } = w;
  if (r1 === null || r3 === null || r7 === null) return 'stable';
  if (r1 > r3 && r3 > r7) return 'improving';
  if (r1 < r3 && r3 < r7) return 'declining';
  return 'stable';
}

// "7 days of data" counts days with spend: a campaign paused for half the week has half the data.
function confidenceOf(w: Windows, t: Thresholds): Confidence {
  if (w.daysWithSpend >= 7 && w.spend7 >= Math.round(t.high_confidence_spend * 100)) return 'high';
  if (w.daysWithSpend >= 3) return 'medium';
  return 'low';
}

/** The latest change not after now; a change after now was not known then (reproducible as_of). */
export function cooldownUntil(changes: CampaignSeries['changes'], nowMs: number, t: Thresholds): number | null {
  let last = -Infinity;
  for (const change of changes) {
    const ms = toMillis(change);
    if (ms <= nowMs && ms > last) last = ms;
  }
  const until = last + t.cooldown_hours * 3_600_000;
  // Exactly cooldown_hours after the change the campaign is free again: "in the last 72 hours" is strict.
  return until > nowMs ? until : null;
}

function retestReasons(w: Windows, launchDate: string | null, index: WindowIndex, t: Thresholds): string[] {
  const reasons: string[] = [];
  // Mature once it has launch day and the two after: launched on or before yesterday - 2.
  if (launchDate === null) reasons.push('no spend yet');
  else if (launchDate > index.dates[2]!) reasons.push(`launched ${launchDate}, under 3 days of data`);
  const minSpend = Math.round(t.min_spend * 100);
  // This one is also the guardrail "never pause below min_spend in the 3-day window".
  if (w.spend3 < minSpend) reasons.push(`only ${usd(w.spend3)} spent in 3 days (min ${usd(minSpend)})`);
  if (w.cv !== null && w.cv > t.volatility_cv) {
    reasons.push(`daily ROAS is volatile (CV ${w.cv.toFixed(2)} > ${t.volatility_cv} over ${w.daysWithSpend} days)`);
  }
  return reasons;
}

function roasTriple(w: Windows): string {
  return `1d ${pct(w.r1)}, 3d ${pct(w.r3)}, 7d ${pct(w.r7)}`;
}

function matrix(
  bucket: Bucket,
  trend: Trend,
  w: Windows,
  t: Thresholds,
): { recommendation: Recommendation; reason: string } {
  const r3 = pct(w.r3);
  if (bucket === 'winner') {
    if (trend === 'declining')
      return { recommendation: 'hold', reason: `Winner but declining (${roasTriple(w)}): hold until the trend turns.` };
    const scale = effectiveScalePct(t);
    const capped =
      scale < t.scale_pct ? ` (scale_pct ${t.scale_pct}% capped at max_scale_pct ${t.max_scale_pct}%)` : '';
    return {
      recommendation: `scale_${scale}_percent`,
      reason: `Winner: 3-day ROAS ${r3} > ${t.winner_roas}%, trend ${trend} (${roasTriple(w)}): raise the budget ${scale}%${capped}.`,
    };
  }
  if (bucket === 'loser') {
    if (trend === 'improving')
      return { recommendation: 'hold', reason: `Loser but improving (${roasTriple(w)}): hold to see if it recovers.` };
    return {
      recommendation: 'pause',
      reason: `Loser: 3-day ROAS ${r3} < ${t.loser_roas}%, trend ${trend} (${roasTriple(w)}): pause.`,
    };
  }
  return {
    recommendation: 'hold',
    reason: `Average: 3-day ROAS ${r3} is between ${t.loser_roas}% and ${t.winner_roas}% (${roasTriple(w)}): hold.`,
  };
}

/**
 * METRICS.md "Decisions" for one campaign or ad set: bucket, trend, matrix, retest, guardrails,
 * confidence. Precedence: cooldown (no recommendation), then an ad set's learning phase (hold), then
 * retest (the numbers cannot be trusted yet), then the matrix. An ad set's `t` is already adjusted
 * for its audience type (thresholdsFor). `totals` must cover at least the 7 days ending yesterday.
 */
export function decideCampaign(
  series: CampaignSeries,
  totals: DailyTotals,
  index: WindowIndex,
  t: Thresholds,
  nowMs: number,
): Decision {
  const w = windows(totals);
  const bucket = bucketOf(w.r3, t);
  const trend = trendOf(w, t);
  const until = cooldownUntil(series.changes, nowMs, t);
  let recommendation: Recommendation;
  let reason: string;
  const retest = retestReasons(w, totals.launchDate, index, t);
  if (until !== null) {
    recommendation = 'cooldown';
    reason = `Budget or status changed in the last ${t.cooldown_hours}h: no new recommendation until ${new Date(until).toISOString()}.`;
  } else if (series.learning_status === 'LEARNING') {
    // Meta's own estimates are still settling: a budget change restarts learning (METRICS.md "Levels").
    recommendation = 'hold';
    reason = `learning: the ad set is in Meta's learning phase (${roasTriple(w)}): hold, never scale, until it exits.`;
  } else if (retest.length > 0) {
    recommendation = 'retest';
    const joined = retest.join('; ');
    reason = `Retest: ${joined}.`;
  } else {
    ({ recommendation, reason } = matrix(bucket, trend, w, t));
  }
  if (series.audience_type && recommendation.startsWith('scale_'))
    reason += ` Audience ${series.audience_type}: the step is scale_pct x its modifier.`;
  if (series.revenue_source === 'allocated')
    reason += ' Revenue allocated from the campaign by Meta purchase value: confidence one step lower.';
  return {
    entity_type: series.entity_type,
    entity_id: series.adset_id ?? series.campaign_id,
    campaign_id: series.campaign_id,
    adset_id: series.adset_id,
    adset_name: series.adset_name,
    audience_type: series.audience_type,
    revenue_source: series.revenue_source,
    campaign_name: series.campaign_name,
    owner: series.owner,
    bucket,
    trend,
    recommendation,
    confidence: confidenceFor(confidenceOf(w, t), series.revenue_source),
    reason,
    roas_1d: w.r1,
    roas_3d: w.r3,
    roas_7d: w.r7,
    spend_3d: w.spend3 / 100,
    spend_7d: w.spend7 / 100,
    days_with_spend_7d: w.daysWithSpend,
    roas_cv_7d: w.cv === null ? null : roundTo(w.cv, 3),
    launch_date: totals.launchDate,
    cooldown_until: until === null ? null : new Date(until).toISOString(),
  };
}
