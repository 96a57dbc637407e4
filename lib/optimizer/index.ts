import { z } from 'zod';
import { addDays, isoDateSchema, yesterdayOf } from '../dates';
import { roundCents, roundTo, toCents, type Cents } from '../money';
import { usd } from '../decisions/format';
import { amountSchema, dayPointSchema } from '../decisions/series';
import { allocate, gain, type Option } from './allocate';
import { boundsFor, toCentsFloor } from './bounds';
import { B_PRIOR, curveSchema, fitCurve, MODEL, revenueCents, roasAt, type Curve, type SpendDay } from './curve';
import { budgetRequestSchema, type BudgetRequest } from './request';

export * from './allocate';
export * from './bounds';
export * from './curve';
export * from './request';

/** One campaign as the warehouse and Meta know it. */
export const optimizerCampaignSchema = z.object({
  campaign_id: z.string().min(1),
  /** Today's daily budget in dollars; null: the mean daily spend of the 7 days ending yesterday. */
  current_budget: amountSchema.nullish(),
  /** Daily spend and revenue (any order, missing days are zero); days after yesterday are ignored. */
  history: z.array(dayPointSchema),
});
export type OptimizerCampaign = z.input<typeof optimizerCampaignSchema>;

export const optimizerOptionsSchema = z.object({
  as_of: isoDateSchema,
  /** Days ending yesterday each curve is fitted on: recent enough to describe today's auction. */
  lookback_days: z.number().int().min(1).max(366).default(28),
});
export type OptimizerOptions = z.input<typeof optimizerOptionsSchema>;

export const budgetRecommendationSchema = z.object({
  campaign_id: z.string(),
  current_budget: z.number(),
  recommended_budget: z.number(),
  /** Expected margin at the recommendation minus at the current budget, both on the curve. */
  expected_margin_gain: z.number(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** Why, when cut to 0. */
  reason: z.string().optional(),
  expected_roas: z.number().nullable(),
  expected_margin: z.number(),
  curve: curveSchema.nullable(),
});

export const budgetResponseSchema = z.object({
  optimization_goal: z.enum(['max_margin', 'max_revenue']),
  model: z.string(),
  /** By expected_margin_gain descending, then campaign_id. */
  recommendations: z.array(budgetRecommendationSchema),
  expected_total_margin: z.number(),
  expected_total_spend: z.number(),
  expected_total_revenue: z.number(),
  /** The plan could not beat the current budgets, so it keeps them. */
  kept_current_allocation: z.boolean(),
});
export type BudgetResponse = z.infer<typeof budgetResponseSchema>;

/** Daily totals in cents over the lookback window, and the 7 days ending yesterday for the fallback budget. */
function historyOf(campaign: OptimizerCampaign, window: { from: string; weekFrom: string; to: string }) {
  const byDate = new Map<string, SpendDay>();
  let weekSpend = 0;
  for (const day of campaign.history) {
    // ISO dates order as strings, which spares a date parse per row.
    if (day.date < window.from || day.date > window.to) continue;
    const spend = toCents(day.spend);
    const revenue = toCents(day.revenue);
    const total = byDate.get(day.date) ?? { spend: 0, revenue: 0 };
    byDate.set(day.date, { spend: total.spend + spend, revenue: total.revenue + revenue });
    if (day.date >= window.weekFrom) weekSpend += spend;
  }
  return { days: [...byDate.values()], weekSpend };
}

/**
 * METRICS.md "Budget optimisation": fits each campaign's curve, bounds it by the constraints and
 * allocates total_budget by marginal gain. Invariants (checked by property tests):
 * sum(recommended) = expected_total_spend <= total_budget; each recommended <= max per campaign;
 * every funded campaign's expected roas >= min_roas; the goal's objective (margin, or revenue for
 * max_revenue) is >= the current allocation's when that is feasible, and never falls as
 * total_budget grows.
 */
export function optimizeBudget(body: BudgetRequest, campaigns: readonly OptimizerCampaign[], options: OptimizerOptions): BudgetResponse {
  const request = budgetRequestSchema.parse(body);
  const { as_of, lookback_days } = optimizerOptionsSchema.parse(options);
  const yesterday = yesterdayOf(as_of);
  const window = { from: addDays(yesterday, -(lookback_days - 1)), weekFrom: addDays(yesterday, -6), to: yesterday };
  const goal = request.optimization_goal;

  const rows = campaigns.map((campaign) => {
    const { days, weekSpend } = historyOf(campaign, window);
    const curve = fitCurve(days);
    const current = campaign.current_budget == null ? roundCents(weekSpend / 7) : Math.max(0, toCents(campaign.current_budget));
    return { campaign, curve, current, bounds: boundsFor(curve, current, request) };
  });
  const optionsList: (Option | null)[] = rows.map((r) => ('option' in r.bounds ? r.bounds.option : null));
  // Rounded down, so the plan never spends a fraction of a cent more than total_budget.
  const plan = allocate(optionsList, toCentsFloor(request.total_budget), goal, rows.map((r) => r.current));

  let margin = 0;
  let revenue = 0;
  const recommendations = rows.map((row, i) => {
    const spend = plan.spend[i]!;
    const { curve } = row;
    const marginAt = (s: Cents) => (curve ? gain(curve, s, 'max_margin') : 0);
    margin += marginAt(spend);
    revenue += curve ? revenueCents(curve, spend) : 0;
    const rec: z.infer<typeof budgetRecommendationSchema> = {
      campaign_id: row.campaign.campaign_id,
      current_budget: row.current / 100,
      recommended_budget: spend / 100,
      expected_margin_gain: roundTo((marginAt(spend) - marginAt(row.current)) / 100, 2),
      confidence: curve?.confidence ?? 'low',
      expected_roas: curve && spend > 0 ? roundTo(roasAt(curve, spend)!, 1) : null,
      expected_margin: roundTo(marginAt(spend) / 100, 2),
      curve: curve && publicCurve(curve),
    };
    if (spend === 0) rec.reason = reasonForZero(row.bounds, plan.worthRunning[i]!, goal);
    return rec;
  });
  recommendations.sort((x, y) => y.expected_margin_gain - x.expected_margin_gain || (x.campaign_id < y.campaign_id ? -1 : x.campaign_id > y.campaign_id ? 1 : 0));

  return {
    optimization_goal: goal,
    model: `${MODEL} (0.1 <= b <= 1), fitted per campaign on its ${lookback_days} days ending ${yesterday}: b by least squares on logs shrunk towards ${B_PRIOR}, a so the curve matches the revenue actually made`,
    recommendations,
    // The goal's own objective is reported from the allocation's sum, so its monotonicity survives rounding.
    expected_total_margin: roundTo((goal === 'max_margin' ? plan.objective : margin) / 100, 2),
    expected_total_spend: plan.spend.reduce((s, c) => s + c, 0) / 100,
    expected_total_revenue: roundTo((goal === 'max_revenue' ? plan.objective : revenue) / 100, 2),
    kept_current_allocation: plan.keptCurrent,
  };
}

function reasonForZero(bounds: ReturnType<typeof boundsFor>, worthRunning: boolean, goal: BudgetRequest['optimization_goal']): string {
  if ('off' in bounds) return bounds.off;
  const { lo, hi } = bounds.option;
  if (!worthRunning) {
    return goal === 'max_margin'
      ? `expected to lose money at every allowed budget (${usd(Math.max(lo, 1))} to ${usd(hi)})`
      : 'no revenue expected at any allowed budget';
  }
  return 'total_budget went to campaigns with better expected returns per dollar';
}

function publicCurve(curve: Curve): Curve {
  return { ...curve, a: roundTo(curve.a, 6), b: roundTo(curve.b, 4), fit_error: curve.fit_error === null ? null : roundTo(curve.fit_error, 3) };
}
