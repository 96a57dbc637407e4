import {
  proposalSchema,
  type BudgetAction,
  type Proposal,
  type ProposalAdset,
  type ProposalFigures,
} from '../approvals/proposal';
import { workflowIds } from '../names';
import { planAction, type BudgetLimits } from './actions';
import type { Alert } from './alerts';
import type { Evidence } from './conditions';
import type { LiveState, RuleCampaign } from './measure';
import type { Rule } from './schema';
import type { WebhookPolicy } from './webhook-policy';

/** One planned Meta change of a matched rule, and where the campaign lives on Meta. */
export interface MatchedChange {
  rule: Pick<Rule, 'id' | 'name'> & Partial<Pick<Rule, 'actions'>>;
  change: BudgetAction;
  campaignId: string;
  campaignName: string;
  owner: string;
  accountId: string;
  metaCampaignId: string;
  /** The business date (as_of). */
  asOf: string;
  /** The alert an alert rule raised (the daily pipeline); absent for the other rules. */
  alert?: Alert;
  /** What the planner noted (a conflict, a bound), for the reason. */
  detail?: string;
  evidence?: Evidence;
  currency?: string;
  figures?: ProposalFigures;
  /** The ad set the change is made to (its budget lives there, or a level adset rule); absent for a campaign's. */
  adset?: ProposalAdset;
}

/** The percent of an adjust_budget by_percent action as the change limit lets it through. */
function percentOf(rule: MatchedChange['rule'], maxChangePct: number): number | undefined {
  const adjust = (rule.actions ?? []).find((a) => 'adjust_budget' in a);
  const pct = adjust && 'adjust_budget' in adjust ? adjust.adjust_budget.by_percent : undefined;
  return pct === undefined ? undefined : Math.max(-maxChangePct, Math.min(pct, maxChangePct));
}

/**
 * The one way a matched rule becomes a budgetChange: its proposal and the business key it runs
 * under. An alert rule's change is the alert's type (one per campaign, day and type, the key a
 * re-run finds); any other rule's is `rule`, keyed by the rule's id.
 */
export function proposalOf(m: MatchedChange, maxChangePct: number): { proposal: Proposal; workflowId: string } {
  const common = {
    campaignId: m.campaignId,
    campaignName: m.campaignName,
    metaCampaignId: m.metaCampaignId,
    accountId: m.accountId,
    owner: m.owner,
    date: m.asOf,
    action: m.change,
    currency: m.currency,
    figures: m.figures,
    ...(m.adset ? { adset: m.adset } : {}),
  };
  // An ad set's change runs under its own key, so a campaign and its ad sets never share one.
  const key = (type: string) =>
    m.adset
      ? workflowIds.adsetBudgetChange(m.adset.id, m.asOf, type)
      : workflowIds.budgetChange(m.campaignId, m.asOf, type);
  if (m.alert) {
    const a = m.alert;
    const pct = m.change.kind === 'set_daily_budget' ? percentOf(m.rule, maxChangePct) : undefined;
    const amount =
      a.potential_margin_gain !== undefined
        ? { potential_margin_gain: a.potential_margin_gain.toFixed(2) }
        : { daily_loss: (a.daily_loss ?? 0).toFixed(2) };
    const proposal = proposalSchema.parse({
      ...common,
      type: a.type,
      reason: a.reason,
      evidence: {
        current_roas: a.current_roas,
        ...(pct === undefined ? {} : { scale_pct: pct }),
        ...amount,
        priority: a.priority,
      },
    });
    return { proposal, workflowId: key(a.type) };
  }
  const proposal = proposalSchema.parse({
    ...common,
    type: 'rule',
    reason: `Rule "${m.rule.name}" (${m.rule.id})${m.detail ? `: ${m.detail}` : ''}`,
    evidence: { rule_id: m.rule.id, ...m.evidence },
  });
  return { proposal, workflowId: key(`rule-${m.rule.id}`) };
}

/**
 * Where the campaign lives on Meta and the live state of what the change is made to (the campaign,
 * or the ad set named by `adset`), read when the proposal is made.
 */
export interface MetaTarget {
  accountId: string;
  metaCampaignId: string;
  /** Daily budget in cents; null under a lifetime budget or (for a campaign) ad-set budgets. */
  dailyBudgetCents: number | null;
  status: string;
  currency?: string;
}

export type AlertProposal = { ok: true; proposal: Proposal; workflowId: string } | { ok: false; reason: string };

/**
 * The daily pipeline's proposal for one alert: the alert rule's first Meta action, planned like
 * any rule's (sized from the live budget, inside the change limit and the budget bounds), always
 * through approval. When no sensible change exists the plan says why, so the report can show the
 * alert as needing a human instead of dropping it.
 */
export function alertProposal(input: {
  rule: Rule;
  alert: Alert;
  asOf: string;
  campaignName: string;
  target: MetaTarget | null;
  limits: BudgetLimits;
  webhooks: WebhookPolicy;
  figures?: ProposalFigures;
  /** Set for an ad set's alert: the proposal changes this ad set, sized from `target` (its state). */
  adset?: ProposalAdset;
}): AlertProposal {
  const { rule, alert, target } = input;
  if (!target && input.adset)
    return { ok: false, reason: `ad set ${input.adset.id} has not been seen by a completed Meta sync yet` };
  if (!target)
    return { ok: false, reason: 'no Meta campaign is mapped to this strateg.is campaign (scaleflow map set)' };
  const action = rule.actions.find((a) => 'adjust_budget' in a || 'pause' in a || 'resume' in a)!;
  const live: LiveState = {
    ...target,
    spendTodayCents: 0,
    impressionsToday: 0,
    clicksToday: 0,
    purchasesToday: 0,
    todayKnown: false,
    dayElapsed: null,
  };
  const campaign: RuleCampaign = {
    campaign_id: alert.campaign_id,
    campaign_name: input.campaignName,
    owner: alert.owner,
    category: '',
    days: [],
    live,
    decision: null,
  };
  const plan = planAction(rule, action, campaign, { owners: {} }, input.limits, input.webhooks);
  if (!plan.ok) return plan;
  if (plan.kind !== 'budget') return { ok: false, reason: `rule ${rule.id} has no Meta change to propose` };
  return {
    ok: true,
    ...proposalOf(
      {
        rule,
        change: plan.change,
        campaignId: alert.campaign_id,
        campaignName: input.campaignName,
        owner: alert.owner,
        accountId: target.accountId,
        metaCampaignId: target.metaCampaignId,
        asOf: input.asOf,
        alert,
        currency: target.currency,
        figures: input.figures,
        adset: input.adset,
      },
      input.limits.maxChangePct,
    ),
  };
}
