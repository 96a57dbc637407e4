import { z } from 'zod';
import { pct, usd } from '../decisions/format';
import type { Cents } from '../money';
import type { Goal } from './allocate';
import { EXPLORE_PCT, type Bounds, type Limit, type SeenSpend } from './bounds';
import type { PlannedRequest } from './request';

/**
 * Why a campaign got its recommended budget: a short code for programs (the PRD's
 * `reallocate_to_winners`), with the sentence for people in `explanation`.
 */
export const reasonCodeSchema = z.enum([
  // Cut to 0:
  'no_history', // no day with spend in the lookback: no curve to plan with
  'paused', // current budget 0 (paused on Meta): the plan does not restart it
  'below_min_roas', // expected roas below min_roas even at its lowest allowed budget
  'unprofitable', // max_margin: expected to lose money at every allowed budget
  'no_revenue', // max_revenue: no revenue expected at any allowed budget
  'reallocate_to_winners', // worth running, but total_budget went to better returns per dollar
  // Funded:
  'at_cap', // at max_daily_spend_per_campaign
  'at_min_roas', // where expected roas falls to min_roas: more would break it
  'at_max_change', // moved as far as max_change_pct allows from the current budget
  'at_min_spend', // at min_daily_spend_per_campaign
  'at_spend_range', // at the edge of the spends it has shown, widened by one exploration step (EXPLORE_PCT)
  'margin_optimal', // where the next dollar earns a dollar back: expected margin peaks here
  'total_budget_limit', // total_budget is spent: its share at equal returns on the last dollar
  'kept_current', // the plan could not beat the current budgets, so every campaign keeps its own
]);
export type ReasonCode = z.infer<typeof reasonCodeSchema>;

export interface Reason {
  reason: ReasonCode;
  explanation: string;
}

export interface ReasonInput {
  spend: Cents;
  current: Cents;
  bounds: Bounds;
  worthRunning: boolean;
  keptCurrent: boolean;
  goal: Goal;
  request: PlannedRequest;
  /** The daily spends the curve was fitted on (null without a curve). */
  seen: SeenSpend | null;
}

const AT_LIMIT: Record<Limit, ReasonCode> = {
  max_daily_spend_per_campaign: 'at_cap',
  min_roas: 'at_min_roas',
  max_change_pct: 'at_max_change',
  min_daily_spend_per_campaign: 'at_min_spend',
  spend_range: 'at_spend_range',
};

export function reasonFor(x: ReasonInput): Reason {
  const { bounds, request } = x;
  if ('off' in bounds) return { reason: bounds.off, explanation: bounds.explanation };
  const { lo, hi, a, b } = bounds.option;
  if (x.keptCurrent)
    return {
      reason: 'kept_current',
      explanation: 'the plan could not beat the current budgets, so every campaign keeps its own',
    };
  if (x.spend === 0) {
    if (x.worthRunning)
      return {
        reason: 'reallocate_to_winners',
        explanation: 'total_budget went to campaigns with better expected returns per dollar',
      };
    return x.goal === 'max_margin'
      ? {
          reason: 'unprofitable',
          explanation: `expected to lose money at every allowed budget (${usd(Math.max(lo, 1))} to ${usd(hi)})`,
        }
      : { reason: 'no_revenue', explanation: 'no revenue expected at any allowed budget' };
  }
  const limit = x.spend === hi ? bounds.limits.hi : x.spend === lo ? bounds.limits.lo : null;
  if (limit) return { reason: AT_LIMIT[limit], explanation: limitSentence(limit, x.current, request, x.seen) };
  // Inside its window: either margin peaks here (the next dollar returns a dollar: a b s^(b-1) = 1),
  // or the total ran out first. Within a cent of the peak the slope is within 1e-3 of 1.
  const slope = a * b * (x.spend / 100) ** (b - 1);
  if (x.goal === 'max_margin' && Math.abs(slope - 1) < 1e-3) {
    return {
      reason: 'margin_optimal',
      explanation: 'where the next dollar is expected to earn a dollar back: expected margin peaks here',
    };
  }
  return {
    reason: 'total_budget_limit',
    explanation:
      'total_budget is spent: this is its share where the last dollar earns as much in every funded campaign',
  };
}

function limitSentence(limit: Limit, current: Cents, request: PlannedRequest, seen: SeenSpend | null): string {
  const c = request.constraints;
  switch (limit) {
    case 'spend_range':
      return `held within ${EXPLORE_PCT}% of the daily spends it has shown (${usd(seen?.min ?? 0)} to ${usd(seen?.max ?? 0)}): past them the curve is a guess`;
    case 'max_daily_spend_per_campaign':
      return `held at max_daily_spend_per_campaign (${usd(Math.round(c.max_daily_spend_per_campaign * 100))})`;
    case 'min_roas':
      return `as far as expected ROAS stays at or above min_roas ${pct(c.min_roas)}`;
    case 'max_change_pct':
      return `moved as far as max_change_pct (${c.max_change_pct}%) allows from ${usd(current)}`;
    case 'min_daily_spend_per_campaign':
      return `held at min_daily_spend_per_campaign (${usd(Math.round((c.min_daily_spend_per_campaign ?? 0) * 100))})`;
  }
}
