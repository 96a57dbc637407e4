import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { MIN_STEP_PCT } from '../optimizer/scale-step';

/** A flag from the command line ("true"/"false") or from code (a boolean). */
const flag = z.union([z.boolean(), z.stringbool()]);

export const policySchema = z.enum(['none', 'streak', 'scaleflow']);
export type PolicyName = z.infer<typeof policySchema>;
export const POLICIES: PolicyName[] = ['none', 'streak', 'scaleflow'];

/** How scaleflow sizes a budget raise once its alert is approved. */
export const sizingSchema = z.enum([
  /** proposalFromAlert as the daily pipeline does: the live budget + scale_pct (capped). */
  'alert',
  /** The same step, then the optimiser on the campaign's fitted curve may make it smaller or skip it. */
  'optimizer',
]);
export type Sizing = z.infer<typeof sizingSchema>;

/** Where scaleflow decides in the backtest (METRICS.md "Levels"): forced to campaigns, or where the budget lives. */
export const backtestLevelSchema = z.enum(['campaign', 'auto']);
export type BacktestLevel = z.infer<typeof backtestLevelSchema>;

export const backtestOptionsSchema = z.strictObject({
  days: z.coerce.number().int().min(8).max(366).default(60),
  campaigns: z.coerce.number().int().min(1).max(5000).default(200),
  seed: z.coerce.number().int().min(0).max(1_000_000).default(7),
  policy: policySchema.default('scaleflow'),
  /** Day 0 of the period; the warm-up history ends the day before. */
  start: isoDateSchema.default('2025-06-02'),
  warmupDays: z.coerce.number().int().min(7).max(60).default(14),
  sizing: sizingSchema.default('optimizer'),
  /**
   * With optimiser sizing, a scale-up is made only when its step (lib/optimizer/scale-step.ts) is
   * at least this much (percent) above today's budget. It stays under the 20% exploration step:
   * at 30 (the old default) every campaign that had always spent the same was held.
   */
  minStepPct: z.coerce.number().min(0).max(100).default(MIN_STEP_PCT),
  /**
   * A scale-up also needs this roas (percent, 0: no gate) over the week before the last seven
   * days. The decision reads the last days; the outcome check's baseline is the last seven: a
   * streak that was luck in those days regresses in the week after and reads as a wrong call.
   */
  priorWeekRoas: z.coerce.number().min(0).max(1000).default(0),
  /** No new scale-up for a campaign while its last change still waits for its 7-day outcome check. */
  waitForOutcome: flag.default(true),
  /**
   * Trim held campaigns whose 7-day roas is under this percent (0: never) by the optimiser's cut,
   * at most trimPct percent: they spend past the point where the next dollar pays for itself.
   */
  trimBelowRoas: z.coerce.number().min(0).max(1000).default(90),
  trimPct: z.coerce.number().min(1).max(90).default(30),
  /**
   * Take back a scale-up whose outcome check found the margin per day fell (back to the budget
   * before it, if nobody moved it since), and never scale that campaign again: hill-climbing's
   * last step overshoots, and the check is what says which one it was.
   */
  revertFailedScaleUps: flag.default(true),
  /** Every campaign holds its budget in 2-5 ad sets (lib/simulator/adsets.ts). Off: campaign budgets only. */
  adsetMarkets: flag.default(false),
  /** What strateg.is reports for an ad-set campaign: a row per ad set, or its campaign row only (then allocated). */
  strategisGrain: z.enum(['adset', 'campaign']).default('adset'),
  /**
   * `campaign`: every decision on the campaign (an ad-set campaign's raise moves all its ad sets
   * alike); `auto`: on the ad sets where the budget lives there. The same without ad-set markets.
   */
  level: backtestLevelSchema.default('auto'),
  /**
   * The market as a command speaking the market protocol (docs/backtest.md), started without a
   * shell; absent: the built-in simulator, in-process, through the same messages.
   */
  marketCmd: z.string().trim().min(1, 'a command, e.g. "node test/markets/hill-market.mjs"').optional(),
});
export type BacktestOptions = z.infer<typeof backtestOptionsSchema>;
