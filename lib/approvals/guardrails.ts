import { z } from 'zod';
import type { Config } from '../config';
import type { Thresholds } from '../decisions/thresholds';
import { entityWord, type Proposal } from './proposal';

export const guardrailLimitsSchema = z.object({
  /** Largest budget change allowed, percent of the current budget (METRICS.md max_scale_pct). */
  maxChangePct: z.number().positive().default(50),
  minBudgetCents: z.number().int().nonnegative().default(100),
  maxBudgetCents: z.number().int().positive().default(10_000_00),
  /** Budget writes per owner per day, so one bad morning cannot move every campaign. */
  dailyActionLimitPerOwner: z.number().int().positive().default(20),
  cooldownHours: z.number().nonnegative().default(72),
});
export type GuardrailLimits = z.infer<typeof guardrailLimitsSchema>;

/** The budget bounds every proposal and rule action is sized within, from config. */
export function budgetLimits(config: Config): Omit<GuardrailLimits, 'cooldownHours'> {
  return {
    maxChangePct: config.MAX_CHANGE_PCT,
    minBudgetCents: Math.round(config.MIN_DAILY_BUDGET_USD * 100),
    maxBudgetCents: Math.round(config.MAX_DAILY_BUDGET_USD * 100),
    dailyActionLimitPerOwner: config.DAILY_ACTION_LIMIT_PER_OWNER,
  };
}

/**
 * The approval-time guardrails: config's bounds, and the cooldown the decisions use for this
 * owner (THRESHOLDS_FILE's cooldown_hours), so a change the decision step would not propose
 * inside a cooldown is not written inside one either.
 */
export function guardrailLimits(config: Config, thresholds: Pick<Thresholds, 'cooldown_hours'>): GuardrailLimits {
  return guardrailLimitsSchema.parse({ ...budgetLimits(config), cooldownHours: thresholds.cooldown_hours });
}

/** What is true right now, read at approval time from Meta and the warehouse. */
export interface LiveFacts {
  liveDailyBudgetCents: number | null;
  /** A pause of a paused campaign is not refused: the write step records it as unchanged. */
  liveStatus: string;
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
    if (action.toCents < limits.minBudgetCents)
      reasons.push(`the new budget is under the minimum of ${limits.minBudgetCents / 100}`);
    if (action.toCents > limits.maxBudgetCents)
      reasons.push(`the new budget is over the maximum of ${limits.maxBudgetCents / 100}`);
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
