import type { Alert } from '../decisions/alerts';
import type { GuardrailLimits } from './guardrails';
import { proposalSchema, type Proposal, type ProposalFigures } from './proposal';

/** What the proposal needs from the Meta sync: where the campaign lives and its live budget. */
export interface MetaTarget {
  accountId: string;
  metaCampaignId: string;
  /** Daily budget in cents; null under a lifetime budget or ad-set budgets (CBO off). */
  dailyBudgetCents: number | null;
  status: string;
  /** The ad account's currency, which the budget is in (Meta's read says; absent in older callers). */
  currency?: string;
}

export type ProposalPlan = { ok: true; proposal: Proposal } | { ok: false; reason: string };

/** The percent in `increase_budget_40_percent`. */
function scalePct(recommendation: string): number {
  const match = /^increase_budget_(\d+(?:\.\d+)?)_percent$/.exec(recommendation);
  if (!match) throw new RangeError(`not a scale recommendation: ${recommendation}`);
  return Number(match[1]);
}

/**
 * Turns one alert of the day into the budget change an approver is asked for. A scale_up raises
 * the live daily budget by the recommended percent (capped by the change limit and the maximum
 * budget, rounded down to whole cents so the cap is never crossed); a cut_loss pauses. When no
 * sensible change exists (no Meta campaign mapped, no daily budget to move, already paused) the
 * plan says why, so the report can show the alert as needing a human instead of dropping it.
 */
export function proposalFromAlert(
  alert: Alert,
  context: {
    asOf: string;
    campaignName: string;
    target: MetaTarget | null;
    limits: Pick<GuardrailLimits, 'maxChangePct' | 'maxBudgetCents'>;
    /** The campaign's recent days, for the approval page. */
    figures?: ProposalFigures;
  },
): ProposalPlan {
  const { target } = context;
  if (!target) return { ok: false, reason: 'no Meta campaign is mapped to this strateg.is campaign (scaleflow map set)' };
  const base = {
    campaignId: alert.campaign_id,
    campaignName: context.campaignName,
    metaCampaignId: target.metaCampaignId,
    accountId: target.accountId,
    owner: alert.owner,
    date: context.asOf,
    type: alert.type,
    reason: alert.reason,
    currency: target.currency,
    figures: context.figures,
  };
  if (alert.type === 'cut_loss') {
    if (target.status !== 'ACTIVE') return { ok: false, reason: `the campaign is already ${target.status} on Meta` };
    return {
      ok: true,
      proposal: proposalSchema.parse({
        ...base,
        action: { kind: 'pause' },
        evidence: { current_roas: alert.current_roas, daily_loss: alert.daily_loss.toFixed(2), priority: alert.priority },
      }),
    };
  }
  if (target.dailyBudgetCents === null || target.dailyBudgetCents <= 0) {
    return { ok: false, reason: 'the campaign has no daily budget on Meta (lifetime or ad-set budgets): scale it there' };
  }
  if (target.status !== 'ACTIVE') return { ok: false, reason: `the campaign is ${target.status} on Meta` };
  const pct = Math.min(scalePct(alert.recommendation), context.limits.maxChangePct);
  const fromCents = target.dailyBudgetCents;
  const toCents = Math.min(Math.floor((fromCents * (100 + pct)) / 100), context.limits.maxBudgetCents);
  if (toCents <= fromCents) return { ok: false, reason: `the daily budget is already at the ${context.limits.maxBudgetCents / 100} maximum` };
  return {
    ok: true,
    proposal: proposalSchema.parse({
      ...base,
      action: { kind: 'set_daily_budget', fromCents, toCents },
      evidence: {
        current_roas: alert.current_roas,
        scale_pct: pct,
        potential_margin_gain: alert.potential_margin_gain.toFixed(2),
        priority: alert.priority,
      },
    }),
  };
}
