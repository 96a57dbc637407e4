import { z } from 'zod';

/**
 * `POST /api/facebook/optimize/budget` body (METRICS.md "Budget optimisation"). Money in dollars
 * per day, roas and change in percent. Unknown keys are rejected: a misspelt constraint
 * ("max_change_percent") silently ignored would plan without it.
 */
export const budgetRequestSchema = z.strictObject({
  total_budget: z.number().finite().nonnegative(),
  optimization_goal: z.enum(['max_margin', 'max_revenue']),
  constraints: z
    .strictObject({
      /** Least expected roas (percent) a funded campaign must keep at its recommended budget. */
      min_roas: z.number().finite().nonnegative(),
      max_daily_spend_per_campaign: z.number().finite().positive(),
      /** A running campaign gets at least this (it may still be cut to 0). */
      min_daily_spend_per_campaign: z.number().finite().nonnegative().optional(),
      /** Largest change from the current budget, percent, either way (cutting to 0 aside). */
      max_change_pct: z.number().finite().nonnegative(),
    })
    .refine((c) => (c.min_daily_spend_per_campaign ?? 0) <= c.max_daily_spend_per_campaign, {
      path: ['min_daily_spend_per_campaign'],
      message: 'must not exceed max_daily_spend_per_campaign',
    }),
});
export type BudgetRequest = z.infer<typeof budgetRequestSchema>;

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
