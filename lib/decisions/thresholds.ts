import { z } from 'zod';

/**
 * Every threshold of METRICS.md "Alerts" and "Decisions" (defaults below). Money is in dollars,
 * roas in percent, like the contract writes them. Each one can be overridden globally and per
 * owner, because alert fatigue is per buyer.
 */
export const thresholdsSchema = z.object({
  /** Bucket: winner when 3-day roas > this. */
  winner_roas: z.number().nonnegative(),
  /** Bucket: loser when 3-day roas < this. */
  loser_roas: z.number().nonnegative(),
  /** Trend: volatile when the CV of the last 7 daily roas is > this. */
  volatility_cv: z.number().positive(),
  /**
   * Least spend (dollars) to judge a campaign: per day for the default scale-up rule, over the 3-day window for
   * decisions.
   */
  min_spend: z.number().nonnegative(),
  /** How much a scale decision raises the budget, percent. */
  scale_pct: z.number().positive(),
  /** Guardrail: no scale recommendation above this percent, whatever scale_pct says. */
  max_scale_pct: z.number().positive(),
  /** Default scale-up rule: days in a row with roas > scale_roas and spend >= min_spend. */
  scale_days: z.number().int().min(1).max(30),
  scale_roas: z.number().nonnegative(),
  /** Default scale-up rule: priority is high when yesterday's margin (dollars) is at least this. */
  scale_high_margin: z.number(),
  /** Default cut-loss rule: days in a row with roas < cut_roas. */
  cut_days: z.number().int().min(1).max(30),
  cut_roas: z.number().nonnegative(),
  /** Default cut-loss rule: priority is high when the loss over cut_days (dollars) exceeds this. */
  cut_high_loss: z.number().nonnegative(),
  /** No alert and no recommendation within this many hours of a budget or status change. */
  cooldown_hours: z.number().nonnegative(),
  /** Confidence is high with 7 days of data and at least this much (dollars) spent in them. */
  high_confidence_spend: z.number().nonnegative(),
  /** Anomaly: a day more than this many standard deviations from the trailing 7-day median. */
  anomaly_sd: z.number().positive(),
  /** Anomaly: a fall of more than this percent from the day before. */
  anomaly_drop_pct: z.number().positive().max(100),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Overrides carry no defaults, so an owner's one override never resets the global others. */
const overridesSchema = thresholdsSchema.partial().strict();
export type ThresholdOverrides = z.infer<typeof overridesSchema>;

/** The defaults, as METRICS.md writes them. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  winner_roas: 130,
  loser_roas: 80,
  volatility_cv: 0.5,
  min_spend: 50,
  scale_pct: 40,
  max_scale_pct: 50,
  scale_days: 3,
  scale_roas: 130,
  scale_high_margin: 100,
  cut_days: 5,
  cut_roas: 80,
  cut_high_loss: 500,
  cooldown_hours: 72,
  high_confidence_spend: 500,
  anomaly_sd: 3,
  anomaly_drop_pct: 30,
};

/** `{ global: {...}, owners: { alice: {...} } }`; both optional, unknown keys rejected (typos). */
export const thresholdsConfigSchema = z
  .strictObject({
    global: overridesSchema.default({}),
    owners: z.record(z.string(), overridesSchema).default({}),
  })
  .default({ global: {}, owners: {} });
export type ThresholdsConfig = z.infer<typeof thresholdsConfigSchema>;

/** Owner names are matched trimmed and case-insensitively: "Alice" in a config is the warehouse's "alice". */
function ownerKey(owner: string): string {
  return owner.trim().toLowerCase();
}

export interface ResolvedThresholds {
  /** The thresholds for a campaign's owner (the global ones when the owner has no overrides). */
  of(owner: string): Thresholds;
  /** Every distinct set: the global one and each owner's. */
  all: Thresholds[];
}

/**
 * Resolves thresholds once per owner: defaults, then the global overrides, then the owner's, so
 * thousands of campaigns share a handful of merged objects.
 */
export function resolveThresholds(config: ThresholdsConfig = { global: {}, owners: {} }): ResolvedThresholds {
  const base = thresholdsSchema.parse({ ...DEFAULT_THRESHOLDS, ...stripUndefined(config.global) });
  const byOwner = new Map<string, Thresholds>();
  for (const [owner, overrides] of Object.entries(config.owners)) {
    byOwner.set(ownerKey(owner), thresholdsSchema.parse({ ...base, ...stripUndefined(overrides) }));
  }
  return { of: (owner) => byOwner.get(ownerKey(owner)) ?? base, all: [base, ...byOwner.values()] };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The percent a scale decision actually uses: scale_pct, capped by the max_scale_pct guardrail. */
export function effectiveScalePct(t: Thresholds): number {
  return Math.min(t.scale_pct, t.max_scale_pct);
}
