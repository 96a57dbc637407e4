import { z } from 'zod';
import { formatMoneyIn } from '../currency';

/**
 * Daily budget bounds in each ad account's own currency. US dollars keep MIN_DAILY_BUDGET_USD and
 * MAX_DAILY_BUDGET_USD; every other currency is listed in DAILY_BUDGET_LIMITS, in its major unit
 * ({"JPY": {"min": 150, "max": 1500000}}). Limits are set in the account's money rather than
 * converted from dollars at a daily rate: a policy in yen does not drift with the exchange rate,
 * and there is no rate feed whose staleness could refuse (or wave through) a morning's proposals.
 * A currency with no limits is refused, never compared against the dollar bounds.
 */
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as JPY');

const boundsSchema = z
  .object({
    min: z.number().nonnegative().default(0),
    max: z.number().positive(),
  })
  .strict()
  .refine((b) => b.min <= b.max, 'min is above max');

export const currencyLimitsSchema = z
  .record(currencyCode, boundsSchema)
  .refine((limits) => !('USD' in limits), 'USD is set by MIN_DAILY_BUDGET_USD and MAX_DAILY_BUDGET_USD, not here')
  .transform((limits) =>
    Object.fromEntries(
      Object.entries(limits).map(([code, b]) => [
        code,
        { minBudgetCents: Math.round(b.min * 100), maxBudgetCents: Math.round(b.max * 100) },
      ]),
    ),
  );

/** DAILY_BUDGET_LIMITS as config reads it: JSON, validated at start so a typo stops the process. */
export const dailyBudgetLimitsSetting = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'JSON such as {"JPY": {"min": 150, "max": 1500000}}' });
      return z.NEVER;
    }
  })
  .pipe(currencyLimitsSchema);

export type CurrencyLimits = z.output<typeof currencyLimitsSchema>;

export interface BudgetBounds {
  currency: string;
  minBudgetCents: number;
  maxBudgetCents: number;
}

export type BoundsVerdict = ({ ok: true } & BudgetBounds) | { ok: false; reason: string };

/** The bounds a budget in `currency` is held to, or why there are none. */
export function boundsIn(
  config: { MIN_DAILY_BUDGET_USD: number; MAX_DAILY_BUDGET_USD: number; DAILY_BUDGET_LIMITS: CurrencyLimits },
  currency: string,
): BoundsVerdict {
  if (currency === 'USD') {
    return {
      ok: true,
      currency,
      minBudgetCents: Math.round(config.MIN_DAILY_BUDGET_USD * 100),
      maxBudgetCents: Math.round(config.MAX_DAILY_BUDGET_USD * 100),
    };
  }
  const bounds = config.DAILY_BUDGET_LIMITS[currency];
  if (!bounds) {
    return {
      ok: false,
      reason: `no daily budget limits for ${currency}: add ${currency} to DAILY_BUDGET_LIMITS (budgets are never checked against the USD limits)`,
    };
  }
  return { ok: true, currency, ...bounds };
}

/** "¥150 to ¥1,500,000 (JPY)", for reasons and pages that name the limits a budget was held to. */
export function describeBounds(bounds: BudgetBounds): string {
  const money = (cents: number) => formatMoneyIn(cents, bounds.currency);
  return `${money(bounds.minBudgetCents)} to ${money(bounds.maxBudgetCents)} (${bounds.currency})`;
}
