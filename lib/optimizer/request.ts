import { z } from 'zod';

const constraintsShape = {
  /** Least expected roas (percent) a funded campaign must keep at its recommended budget. */
  min_roas: z.number().finite().nonnegative(),
  max_daily_spend_per_campaign: z.number().finite().positive(),
  /** A running campaign gets at least this (it may still be cut to 0). */
  min_daily_spend_per_campaign: z.number().finite().nonnegative().optional(),
  /** Largest change from the current budget, percent, either way (cutting to 0 aside); default MAX_CHANGE_PCT. */
  max_change_pct: z.number().finite().nonnegative().optional(),
};

const minWithinMax = (c: { min_daily_spend_per_campaign?: number | undefined; max_daily_spend_per_campaign: number }) =>
  (c.min_daily_spend_per_campaign ?? 0) <= c.max_daily_spend_per_campaign;
const minAboveMax = { path: ['min_daily_spend_per_campaign'], message: 'must not exceed max_daily_spend_per_campaign' };

const body = {
  total_budget: z.number().finite().nonnegative(),
  optimization_goal: z.enum(['max_margin', 'max_revenue']),
};

/**
 * `POST /api/facebook/optimize/budget` body (METRICS.md "Budget optimisation"). Money in dollars
 * per day, roas and change in percent. The PRD's example body is valid as written: only min_roas
 * and max_daily_spend_per_campaign are required. Unknown keys are rejected: a misspelt
 * constraint ("max_change_percent") silently ignored would plan without it.
 */
export const budgetRequestSchema = z.strictObject({ ...body, constraints: z.strictObject(constraintsShape).refine(minWithinMax, minAboveMax) });
export type BudgetRequest = z.infer<typeof budgetRequestSchema>;

/** A request with its defaults filled in: what the optimiser plans with, and echoes back. */
export const plannedRequestSchema = z.strictObject({
  ...body,
  constraints: z.strictObject({ ...constraintsShape, max_change_pct: z.number().finite().nonnegative() }).refine(minWithinMax, minAboveMax),
});
export type PlannedRequest = z.infer<typeof plannedRequestSchema>;

/** Fills what the caller left out from the deployment's settings (MAX_CHANGE_PCT). */
export function withDefaults(request: BudgetRequest, defaults: { max_change_pct: number }): PlannedRequest {
  return { ...request, constraints: { ...request.constraints, max_change_pct: request.constraints.max_change_pct ?? defaults.max_change_pct } };
}

export interface FieldError {
  /** Dotted path, e.g. `constraints.min_roas`. */
  field: string;
  message: string;
}

/** Parses a request body; on failure every problem names its field, for a 400. */
export function parseBudgetRequest(body: unknown): { ok: true; request: BudgetRequest } | { ok: false; errors: FieldError[] } {
  const parsed = budgetRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): FieldError[] => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: at || '(body)', message: issue.message }];
  });
  return { ok: false, errors };
}
