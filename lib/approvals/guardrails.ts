import { z } from 'zod';
import type { Config } from '../config';
import { formatMoneyIn } from '../currency';
import type { Thresholds } from '../decisions/thresholds';
import { boundsIn } from './currency-limits';
import { entityWord, type Proposal } from './proposal';

export const guardrailLimitsSchema = z.object({
  /** Largest budget change allowed, percent of the current budget (METRICS.md max_scale_pct). */
  maxChangePct: z.number().positive().default(50),
  minBudgetCents: z.number().int().nonnegative().default(100),
  maxBudgetCents: z.number().int().positive().default(10_000_00),
  /** Budget writes per owner per day, so one bad morning cannot move every campaign. */
  dailyActionLimitPerOwner: z.number().int().positive().default(20),
  cooldownHours: z.number().nonnegative().default(72),
  /** The currency the budget bounds are in: the ad account's. */
  currency: z.string().default('USD'),
  /** Set when the currency has no bounds in config: every budget proposal in it is refused with this. */
  unbounded: z.string().optional(),
});
export type GuardrailLimits = z.infer<typeof guardrailLimitsSchema>;

export type SizingLimits = Omit<GuardrailLimits, 'cooldownHours' | 'currency' | 'unbounded'>;

/** The budget bounds every proposal and rule action in US dollars is sized within, from config. */
export function budgetLimits(config: Config): SizingLimits {
  return {
    maxChangePct: config.MAX_CHANGE_PCT,
    minBudgetCents: Math.round(config.MIN_DAILY_BUDGET_USD * 100),
    maxBudgetCents: Math.round(config.MAX_DAILY_BUDGET_USD * 100),
    dailyActionLimitPerOwner: config.DAILY_ACTION_LIMIT_PER_OWNER,
  };
}

/**
 * The same in the ad account's currency (its DAILY_BUDGET_LIMITS), or why there are none: a yen
 * budget is never sized inside dollar bounds. No currency known (no live read) is US dollars.
 */
export function budgetLimitsIn(
  config: Config,
  currency: string | undefined,
): { ok: true; limits: SizingLimits } | { ok: false; reason: string } {
  const bounds = boundsIn(config, currency ?? 'USD');
  if (!bounds.ok) return bounds;
  return {
    ok: true,
    limits: { ...budgetLimits(config), minBudgetCents: bounds.minBudgetCents, maxBudgetCents: bounds.maxBudgetCents },
  };
}

/**
 * The approval-time guardrails: config's bounds in the ad account's currency, and the cooldown the
 * decisions use for this owner (THRESHOLDS_FILE's cooldown_hours), so a change the decision step
 * would not propose inside a cooldown is not written inside one either.
 */
export function guardrailLimits(
  config: Config,
  thresholds: Pick<Thresholds, 'cooldown_hours'>,
  currency = 'USD',
): GuardrailLimits {
  const bounds = boundsIn(config, currency);
  return guardrailLimitsSchema.parse({
    ...budgetLimits(config),
    ...(bounds.ok
      ? { minBudgetCents: bounds.minBudgetCents, maxBudgetCents: bounds.maxBudgetCents }
      : { unbounded: bounds.reason }),
    currency,
    cooldownHours: thresholds.cooldown_hours,
  });
}

/** What is true right now, read at approval time from Meta and the warehouse. */
export interface LiveFacts {
  liveDailyBudgetCents: number | null;
  /** A pause of a paused campaign is not refused: the write step records it as unchanged. */
  liveStatus: string;
  /** The ad account's currency as Meta reports it now (absent where the reader does not know it). */
  liveCurrency?: string;
  /** Writes already executed today for this owner (excluding this proposal). */
  ownerActionsToday: number;
  /** Hours since the budget or status of the campaign (or ad set) last changed (Meta or scaleflow); null if never. */
  hoursSinceLastChange: number | null;
}

export type GuardrailVerdict = { ok: true } | { ok: false; reasons: string[] };

/**
 * Re-checks a proposal on fresh facts. Everything that held when the proposal was made may have
 * changed during the approval wait; any failure refuses the write with a recorded reason.
 */
export function checkGuardrails(proposal: Proposal, facts: LiveFacts, limits: GuardrailLimits): GuardrailVerdict {
  const reasons: string[] = [];
  const { action } = proposal;
  const entity = entityWord(proposal);
  if (action.kind === 'set_daily_budget') {
    if (facts.liveDailyBudgetCents === null) {
      reasons.push(
        proposal.adset
          ? 'the ad set has no daily budget on Meta (lifetime or campaign budget): change it there'
          : 'the campaign has no daily budget on Meta (lifetime or ad-set budget): change it there',
      );
    } else if (facts.liveDailyBudgetCents !== action.fromCents && facts.liveDailyBudgetCents !== action.toCents) {
      reasons.push(
        `the live budget is ${facts.liveDailyBudgetCents / 100} but the proposal was made from ${action.fromCents / 100}: someone changed it since`,
      );
    }
    if (action.fromCents > 0) {
      const changePct = (Math.abs(action.toCents - action.fromCents) / action.fromCents) * 100;
      if (changePct > limits.maxChangePct + 1e-9) {
        reasons.push(`a ${changePct.toFixed(1)}% change is over the ${limits.maxChangePct}% limit`);
      }
    }
    if (facts.liveCurrency && proposal.currency && facts.liveCurrency !== proposal.currency)
      reasons.push(`the account is in ${facts.liveCurrency} now but the proposal was made in ${proposal.currency}`);
    const money = (cents: number) => formatMoneyIn(cents, limits.currency);
    if (limits.unbounded) reasons.push(limits.unbounded);
    else if (action.toCents < limits.minBudgetCents)
      reasons.push(`the new budget ${money(action.toCents)} is under the minimum of ${money(limits.minBudgetCents)}`);
    else if (action.toCents > limits.maxBudgetCents)
      reasons.push(`the new budget ${money(action.toCents)} is over the maximum of ${money(limits.maxBudgetCents)}`);
  }
  if (facts.ownerActionsToday >= limits.dailyActionLimitPerOwner) {
    reasons.push(
      `${proposal.owner} already has ${facts.ownerActionsToday} budget changes today (limit ${limits.dailyActionLimitPerOwner})`,
    );
  }
  if (facts.hoursSinceLastChange !== null && facts.hoursSinceLastChange < limits.cooldownHours) {
    reasons.push(
      `the ${entity} changed ${facts.hoursSinceLastChange.toFixed(1)} h ago, inside the ${limits.cooldownHours} h cooldown`,
    );
  }
  return reasons.length ? { ok: false, reasons } : { ok: true };
}
