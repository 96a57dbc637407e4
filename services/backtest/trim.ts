import { addDays, yesterdayOf } from '../../lib/dates';
import { audienceTypeSchema } from '../../lib/levels';
import { workflowIds } from '../../lib/names';
import { optimizeBudget } from '../../lib/optimizer';
import type { PlannedChange } from '../../activities/pipeline';
import type { BudgetAction, ProposalAdset } from '../../lib/approvals/proposal';
import { sqlFile } from '../warehouse/sql';
import { adsetIndex, adsetKey, campaignIndex, simulatedProposal } from './apply';
import type { DayContext } from './context';

/** A trim smaller than this (percent) is not worth a change and its cooldown. */
const MIN_TRIM_PCT = 10;

type HistoryRow = { campaign_id: string; date: string; spend: string; revenue: string };

/** A campaign, or an ad set of it, that a `rule` change may be proposed for. */
interface Target {
  campaign: number;
  adset?: ProposalAdset;
}

function ruleChange(
  ctx: DayContext,
  target: Target,
  change: { action: BudgetAction; reason: string; evidence?: Record<string, string | number> },
): PlannedChange {
  const spec = ctx.market.specs[target.campaign]!;
  const proposal = simulatedProposal(ctx, target.campaign, { type: 'rule', ...change });
  return target.adset
    ? {
        workflowId: workflowIds.adsetBudgetChange(target.adset.id, ctx.asOf, 'rule'),
        proposal: { ...proposal, adset: target.adset },
      }
    : { workflowId: `budget-change/${spec.campaign_id}/${ctx.asOf}/rule`, proposal };
}

function liveTarget(ctx: DayContext, target: Target) {
  return target.adset
    ? ctx.meta.adsetState(target.campaign, adsetIndex(ctx, target.campaign, target.adset.id))
    : ctx.meta.state(target.campaign);
}

/**
 * Budget cuts for campaigns the decisions hold although they barely pay (7-day roas under
 * options.trimBelowRoas): the optimiser, on the campaign's own fitted curve, says how far below
 * today's budget its margin peaks, within options.trimPct. Proposed as `rule` changes, checked a
 * week later like any other (a cut is right when the margin per day did not fall).
 */
export async function trimProposals(ctx: DayContext, busy: ReadonlySet<string>): Promise<PlannedChange[]> {
  if (ctx.options.trimBelowRoas <= 0) return [];
  const candidates = await ctx.warehouse.all<{ campaign_id: string; owner: string; roas_7d: number }>(
    sqlFile('backtest/trim_candidates'),
    [ctx.asOf, ctx.options.trimBelowRoas],
  );
  const open = candidates.filter((c) => !busy.has(c.campaign_id) && !ctx.awaitingOutcome.has(c.campaign_id));
  if (open.length === 0) return [];
  const yesterday = yesterdayOf(ctx.asOf);
  const rows = await ctx.warehouse.all<HistoryRow>(sqlFile('metrics/optimizer_history'), [
    addDays(yesterday, -27),
    yesterday,
    'all',
  ]);
  return trims(
    ctx,
    open.map((c) => ({
      key: c.campaign_id,
      roas_7d: c.roas_7d,
      target: { campaign: campaignIndex(ctx, c.campaign_id) },
    })),
    rows,
  );
}

/**
 * The same trims per ad set, where the budget lives on ad sets (`--level auto`): candidates from
 * the ad sets' decisions the production evaluation stored, each cut on the ad set's own fitted curve.
 */
export async function adsetTrimProposals(ctx: DayContext, busy: ReadonlySet<string>): Promise<PlannedChange[]> {
  if (ctx.options.trimBelowRoas <= 0) return [];
  const candidates = await ctx.warehouse.all<{
    adset_id: string;
    campaign_id: string;
    audience_type: string;
    roas_7d: number;
  }>(sqlFile('backtest/adset_trim_candidates'), [ctx.asOf, ctx.options.trimBelowRoas]);
  const open = candidates.filter(
    (c) => !busy.has(adsetKey(c.adset_id)) && !ctx.awaitingOutcome.has(adsetKey(c.adset_id)),
  );
  if (open.length === 0) return [];
  const yesterday = yesterdayOf(ctx.asOf);
  const rows = await ctx.warehouse.all<HistoryRow>(sqlFile('backtest/adset_rows'), [
    addDays(yesterday, -27),
    yesterday,
  ]);
  return trims(
    ctx,
    open.map((c) => {
      const campaign = campaignIndex(ctx, c.campaign_id);
      const spec = ctx.market.specs[campaign]!.adsets![adsetIndex(ctx, campaign, c.adset_id)]!;
      const adset = {
        id: spec.adset_id,
        name: spec.adset_name,
        audienceType: audienceTypeSchema.parse(c.audience_type),
      };
      return { key: c.adset_id, roas_7d: c.roas_7d, target: { campaign, adset } };
    }),
    rows,
  );
}

function trims(
  ctx: DayContext,
  open: { key: string; roas_7d: number; target: Target }[],
  rows: readonly HistoryRow[],
): PlannedChange[] {
  const history = new Map<string, HistoryRow[]>();
  for (const r of rows) history.set(r.campaign_id, [...(history.get(r.campaign_id) ?? []), r]);
  const proposals: PlannedChange[] = [];
  for (const candidate of open) {
    const live = liveTarget(ctx, candidate.target);
    if (live.status !== 'ACTIVE' || ctx.meta.state(candidate.target.campaign).status !== 'ACTIVE') continue;
    const plan = optimizeBudget(
      {
        total_budget: live.dailyBudgetCents / 100,
        optimization_goal: 'max_margin',
        constraints: {
          min_roas: 0,
          max_daily_spend_per_campaign: ctx.config.MAX_DAILY_BUDGET_USD,
          max_change_pct: ctx.options.trimPct,
        },
      },
      [
        {
          campaign_id: candidate.key,
          current_budget: live.dailyBudgetCents / 100,
          history: history.get(candidate.key) ?? [],
        },
      ],
      { as_of: ctx.asOf },
    );
    // 0: the curve loses money at every allowed budget. Pausing is the decisions' call (the alert
    // rule that pauses), so the trim goes as far as it may.
    const recommended = Math.round((plan.recommendations[0]?.recommended_budget ?? 0) * 100);
    const target = recommended > 0 ? recommended : Math.ceil(live.dailyBudgetCents * (1 - ctx.options.trimPct / 100));
    if (target > live.dailyBudgetCents * (1 - MIN_TRIM_PCT / 100)) continue;
    proposals.push(
      ruleChange(ctx, candidate.target, {
        action: { kind: 'set_daily_budget', fromCents: live.dailyBudgetCents, toCents: target },
        reason: `trim: held at 7-day ROAS ${candidate.roas_7d}% (< ${ctx.options.trimBelowRoas}%), the fitted curve's margin peaks lower`,
        evidence: { roas_7d: candidate.roas_7d, optimizer_budget: (target / 100).toFixed(2) },
      }),
    );
  }
  return proposals;
}

/**
 * Takes back each scale-up its outcome check found wrong, to the budget before it, when the live
 * budget is still the one it set (a later change by anyone else wins). Proposed as `rule` changes,
 * to the ad set when the scale-up was an ad set's.
 */
export function revertProposals(ctx: DayContext, busy: ReadonlySet<string>): PlannedChange[] {
  const proposals: PlannedChange[] = [];
  for (const [key, step] of ctx.learned.revert) {
    if (busy.has(key)) continue;
    ctx.learned.revert.delete(key);
    const target = { campaign: campaignIndex(ctx, step.campaignId), adset: step.adset };
    const live = liveTarget(ctx, target);
    if (live.status !== 'ACTIVE' || live.dailyBudgetCents !== step.toCents) continue;
    proposals.push(
      ruleChange(ctx, target, {
        action: { kind: 'set_daily_budget', fromCents: step.toCents, toCents: step.fromCents },
        reason: 'revert: the outcome check found the margin per day fell after this scale-up',
      }),
    );
  }
  return proposals;
}
