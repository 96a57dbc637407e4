import { z } from 'zod';

/**
 * Upper bounds on every number a caller sends. The planner works in integer cents and formats
 * dollars with toFixed, which turns to exponent notation at 1e21 (and cents leave the safe
 * integers at 9e13 dollars), so an unbounded amount was a 500, not an answer. $1e9 a day is
 * far above any Meta account's spend; past it the number is a typo or a probe, and a 400
 * naming the field says so.
 */
export const MAX_AMOUNT_USD = 1e9;
/** 1,000x return: no campaign earns it, so a larger floor is a mistake (or a fraction read as percent). */
export const MAX_MIN_ROAS_PCT = 100_000;
/** The same ceiling MAX_CHANGE_PCT has in lib/config.ts: an 11x budget move in one step. */
export const MAX_CHANGE_PCT_LIMIT = 1000;

const amount = () => z.number().nonnegative().max(MAX_AMOUNT_USD, `at most ${MAX_AMOUNT_USD} (dollars a day)`);
const changePct = () => z.number().nonnegative().max(MAX_CHANGE_PCT_LIMIT, `at most ${MAX_CHANGE_PCT_LIMIT} (percent)`);

const constraintsShape = {
  /** Least expected roas (percent) a funded campaign must keep at its recommended budget. */
  min_roas: z.number().nonnegative().max(MAX_MIN_ROAS_PCT, `at most ${MAX_MIN_ROAS_PCT} (percent)`),
  max_daily_spend_per_campaign: amount().positive(),
  /** A running campaign gets at least this (it may still be cut to 0). */
  min_daily_spend_per_campaign: amount().optional(),
  /** Largest change from the current budget, percent, either way (cutting to 0 aside); default MAX_CHANGE_PCT. */
  max_change_pct: changePct().optional(),
};

const minWithinMax = (c: { min_daily_spend_per_campaign?: number | undefined; max_daily_spend_per_campaign: number }) =>
  (c.min_daily_spend_per_campaign ?? 0) <= c.max_daily_spend_per_campaign;
const minAboveMax = { path: ['min_daily_spend_per_campaign'], message: 'must not exceed max_daily_spend_per_campaign' };

const body = {
  total_budget: amount(),
  optimization_goal: z.enum(['max_margin', 'max_revenue']),
};

/**
 * `POST /api/facebook/optimize/budget` body (METRICS.md "Budget optimisation"). Money in dollars
 * per day, roas and change in percent. The PRD's example body is valid as written: only min_roas
 * and max_daily_spend_per_campaign are required. Unknown keys are rejected: a misspelt
 * constraint ("max_change_percent") silently ignored would plan without it.
 */
export const budgetRequestSchema = z.strictObject({
  ...body,
  constraints: z.strictObject(constraintsShape).refine(minWithinMax, minAboveMax),
});
export type BudgetRequest = z.infer<typeof budgetRequestSchema>;

/**
 * A request with its defaults filled in: what the optimiser plans with, and echoes back. The API's
 * requests arrive here bounded; the backtest's sizing plans a rule's own change, which may be a
 * larger step than a caller may ask for (guardrails refuse it later), so only the amounts, which
 * the cents conversion needs, keep their bound.
 */
export const plannedRequestSchema = z.strictObject({
  ...body,
  constraints: z
    .strictObject({ ...constraintsShape, max_change_pct: z.number().nonnegative() })
    .refine(minWithinMax, minAboveMax),
});
export type PlannedRequest = z.infer<typeof plannedRequestSchema>;

/** Fills what the caller left out from the deployment's settings (MAX_CHANGE_PCT). */
export function withDefaults(request: BudgetRequest, defaults: { max_change_pct: number }): PlannedRequest {
  return {
    ...request,
    constraints: {
      ...request.constraints,
      max_change_pct: request.constraints.max_change_pct ?? defaults.max_change_pct,
    },
  };
}

export interface FieldError {
  /** Dotted path, e.g. `constraints.min_roas`. */
  field: string;
  message: string;
}

/** Every problem of a budget request, each naming its field, for a 400. */
export function budgetFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: at || '(body)', message: issue.message }];
  });
}

/** Parses a request body; on failure every problem names its field, for a 400. */
export function parseBudgetRequest(
  body: unknown,
): { ok: true; request: BudgetRequest } | { ok: false; errors: FieldError[] } {
  const parsed = budgetRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, errors: budgetFieldErrors(parsed.error) };
}
