import { addDays, yesterdayOf } from '../../lib/dates';
import { optimizeBudget } from '../../lib/optimizer';
import type { PlannedChange } from '../../activities/pipeline';
import { sqlFile } from '../warehouse/sql';
import { campaignIndex, simulatedProposal } from './apply';
import type { DayContext } from './context';

/** A trim smaller than this (percent) is not worth a change and its cooldown. */
const MIN_TRIM_PCT = 10;

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
  const rows = await ctx.warehouse.all<{ campaign_id: string; date: string; spend: string; revenue: string }>(
    sqlFile('metrics/optimizer_history'),
    [addDays(yesterday, -27), yesterday, 'all'],
  );
  const history = new Map<string, typeof rows>();
  for (const r of rows) history.set(r.campaign_id, [...(history.get(r.campaign_id) ?? []), r]);

  const proposals: PlannedChange[] = [];
  for (const candidate of open) {
    const i = campaignIndex(ctx, candidate.campaign_id);
    const spec = ctx.market.specs[i]!;
    const live = ctx.meta.state(i);
    if (live.status !== 'ACTIVE') continue;
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
          campaign_id: candidate.campaign_id,
          current_budget: live.dailyBudgetCents / 100,
          history: history.get(candidate.campaign_id) ?? [],
        },
      ],
      { as_of: ctx.asOf },
    );
    // 0: the curve loses money at every allowed budget. Pausing is the decisions' call (the alert
    // rule that pauses), so the trim goes as far as it may.
    const recommended = Math.round((plan.recommendations[0]?.recommended_budget ?? 0) * 100);
    const target = recommended > 0 ? recommended : Math.ceil(live.dailyBudgetCents * (1 - ctx.options.trimPct / 100));
    if (target > live.dailyBudgetCents * (1 - MIN_TRIM_PCT / 100)) continue;
    proposals.push({
      workflowId: `budget-change/${spec.campaign_id}/${ctx.asOf}/rule`,
      proposal: simulatedProposal(ctx, i, {
        type: 'rule',
        action: { kind: 'set_daily_budget', fromCents: live.dailyBudgetCents, toCents: target },
        reason: `trim: held at 7-day ROAS ${candidate.roas_7d}% (< ${ctx.options.trimBelowRoas}%), the fitted curve's margin peaks lower`,
        evidence: { roas_7d: candidate.roas_7d, optimizer_budget: (target / 100).toFixed(2) },
      }),
    });
  }
  return proposals;
}

/**
 * Takes back each scale-up its outcome check found wrong, to the budget before it, when the live
 * budget is still the one it set (a later change by anyone else wins). Proposed as `rule` changes.
 */
export function revertProposals(ctx: DayContext, busy: ReadonlySet<string>): PlannedChange[] {
  const proposals: PlannedChange[] = [];
  for (const [campaignId, step] of ctx.learned.revert) {
    if (busy.has(campaignId)) continue;
    ctx.learned.revert.delete(campaignId);
    const i = campaignIndex(ctx, campaignId);
    const live = ctx.meta.state(i);
    if (live.status !== 'ACTIVE' || live.dailyBudgetCents !== step.toCents) continue;
    proposals.push({
      workflowId: `budget-change/${campaignId}/${ctx.asOf}/rule`,
      proposal: simulatedProposal(ctx, i, {
        type: 'rule',
        action: { kind: 'set_daily_budget', fromCents: step.toCents, toCents: step.fromCents },
        reason: 'revert: the outcome check found the margin per day fell after this scale-up',
      }),
    });
  }
  return proposals;
}
