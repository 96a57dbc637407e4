import { z } from 'zod';
import { addDays, isoDateSchema, yesterdayOf } from '../dates';
import { roundCents, roundTo, toCents, type Cents } from '../money';
import { amountSchema, dayPointSchema } from '../decisions/series';
import { entityTypeSchema } from '../levels';
import { allocate, gain, type Option } from './allocate';
import { boundsFor, toCentsFloor } from './bounds';
import { confidenceLabelSchema } from './confidence';
import { B_PRIOR, curveSchema, fitCurve, MODEL, revenueCents, roasAt, type Curve, type SpendDay } from './curve';
import { reasonCodeSchema, reasonFor } from './reasons';
import { plannedRequestSchema, type PlannedRequest } from './request';

export * from './allocate';
export * from './bounds';
export * from './confidence';
export * from './currency';
export * from './curve';
export * from './level';
export * from './reasons';
export * from './request';

/** One campaign (or one ad set of it, `adset_id` set) as the warehouse and Meta know it. */
export const optimizerCampaignSchema = z.object({
  campaign_id: z.string().min(1),
  /** Set when the row is an ad set that holds its own budget (METRICS.md "Levels"). */
  adset_id: z.string().min(1).nullish(),
  /**
   * Today's daily budget in dollars, Meta's live one (0 when paused there); null when unknown
   * (never synced): then the mean daily spend of the 7 days ending yesterday.
   */
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
  /** What the budget is set on: the campaign, or an ad set of it (entity_id is then the adset_id). */
  entity_type: entityTypeSchema,
  entity_id: z.string(),
  campaign_id: z.string(),
  adset_id: z.string().nullable(),
  current_budget: z.number(),
  /** Where current_budget came from: Meta's live daily budget, or the 7-day mean spend when Meta gave none. */
  current_budget_source: z.enum(['meta', 'mean_spend_7d']),
  recommended_budget: z.number(),
  /** Expected margin at the recommendation minus at the current budget, both on the curve. */
  expected_margin_gain: z.number(),
  /** The curve's confidence in 0..1 (0 without a curve), and its word (lib/optimizer/confidence.ts). */
  confidence: z.number().min(0).max(1),
  confidence_label: confidenceLabelSchema,
  /** Why this budget, as a code (lib/optimizer/reasons.ts) and as a sentence. */
  reason: reasonCodeSchema,
  explanation: z.string(),
  expected_roas: z.number().nullable(),
  expected_margin: z.number(),
  curve: curveSchema.nullable(),
});

export const budgetResponseSchema = z.object({
  optimization_goal: z.enum(['max_margin', 'max_revenue']),
  /** The constraints the plan kept, defaults filled in (max_change_pct: MAX_CHANGE_PCT unless sent). */
  constraints: plannedRequestSchema.shape.constraints,
  model: z.string(),
  /** By expected_margin_gain descending, then campaign_id, then entity_id. */
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
  const spends = [...byDate.values()].map((d) => d.spend).filter((c) => c > 0);
  const seen = spends.length ? { min: Math.min(...spends), max: Math.max(...spends) } : null;
  return { days: [...byDate.values()], weekSpend, seen };
}

/**
 * METRICS.md "Budget optimisation": fits each campaign's curve, bounds it by the constraints and
 * allocates total_budget by marginal gain. Invariants (checked by property tests):
 * sum(recommended) = expected_total_spend <= total_budget; each recommended <= max per campaign;
 * every funded campaign's expected roas >= min_roas; the goal's objective (margin, or revenue for
 * max_revenue) is >= the current allocation's when that is feasible, and never falls as
 * total_budget grows.
 */
export function optimizeBudget(
  body: PlannedRequest,
  campaigns: readonly OptimizerCampaign[],
  options: OptimizerOptions,
): BudgetResponse {
  const request = plannedRequestSchema.parse(body);
  const { as_of, lookback_days } = optimizerOptionsSchema.parse(options);
  const yesterday = yesterdayOf(as_of);
  const window = { from: addDays(yesterday, -(lookback_days - 1)), weekFrom: addDays(yesterday, -6), to: yesterday };
  const goal = request.optimization_goal;

  const rows = campaigns.map((campaign) => {
    const { days, weekSpend, seen } = historyOf(campaign, window);
    const curve = fitCurve(days);
    const synced = campaign.current_budget != null;
    const current = synced ? Math.max(0, toCents(campaign.current_budget!)) : roundCents(weekSpend / 7);
    return { campaign, curve, current, synced, seen, bounds: boundsFor(curve, current, request, seen) };
  });
  const optionsList: (Option | null)[] = rows.map((r) => ('option' in r.bounds ? r.bounds.option : null));
  // Rounded down, so the plan never spends a fraction of a cent more than total_budget.
  const plan = allocate(
    optionsList,
    toCentsFloor(request.total_budget),
    goal,
    rows.map((r) => r.current),
  );

  let margin = 0;
  let revenue = 0;
  const recommendations = rows.map((row, i) => {
    const spend = plan.spend[i]!;
    const { curve } = row;
    const marginAt = (s: Cents) => (curve ? gain(curve, s, 'max_margin') : 0);
    margin += marginAt(spend);
    revenue += curve ? revenueCents(curve, spend) : 0;
    const adset = row.campaign.adset_id ?? null;
    const rec: z.infer<typeof budgetRecommendationSchema> = {
      entity_type: adset ? 'adset' : 'campaign',
      entity_id: adset ?? row.campaign.campaign_id,
      campaign_id: row.campaign.campaign_id,
      adset_id: adset,
      current_budget: row.current / 100,
      current_budget_source: row.synced ? 'meta' : 'mean_spend_7d',
      recommended_budget: spend / 100,
      expected_margin_gain: roundTo((marginAt(spend) - marginAt(row.current)) / 100, 2),
      confidence: curve?.confidence ?? 0,
      confidence_label: curve?.confidence_label ?? 'low',
      ...reasonFor({
        spend,
        current: row.current,
        bounds: row.bounds,
        worthRunning: plan.worthRunning[i]!,
        keptCurrent: plan.keptCurrent,
        goal,
        request,
        seen: row.seen,
      }),
      expected_roas: curve && spend > 0 ? roundTo(roasAt(curve, spend)!, 1) : null,
      expected_margin: roundTo(marginAt(spend) / 100, 2),
      curve: curve && publicCurve(curve),
    };
    return rec;
  });
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  recommendations.sort(
    (x, y) =>
      y.expected_margin_gain - x.expected_margin_gain ||
      order(x.campaign_id, y.campaign_id) ||
      order(x.entity_id, y.entity_id),
  );

  return {
    optimization_goal: goal,
    constraints: request.constraints,
    model: `${MODEL} (0.1 <= b <= 1), fitted per campaign on its ${lookback_days} days ending ${yesterday}: b by least squares on logs shrunk towards ${B_PRIOR}, a so the curve matches the revenue actually made`,
    recommendations,
    // The goal's own objective is reported from the allocation's sum, so its monotonicity survives rounding.
    expected_total_margin: roundTo((goal === 'max_margin' ? plan.objective : margin) / 100, 2),
    expected_total_spend: plan.spend.reduce((s, c) => s + c, 0) / 100,
    expected_total_revenue: roundTo((goal === 'max_revenue' ? plan.objective : revenue) / 100, 2),
    kept_current_allocation: plan.keptCurrent,
  };
}

function publicCurve(curve: Curve): Curve {
  return {
    ...curve,
    a: roundTo(curve.a, 6),
    b: roundTo(curve.b, 4),
    fit_error: curve.fit_error === null ? null : roundTo(curve.fit_error, 3),
  };
}
