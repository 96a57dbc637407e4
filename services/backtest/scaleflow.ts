import { checkGuardrails, guardrailLimits } from '../../lib/approvals/guardrails';
import type { Proposal } from '../../lib/approvals/proposal';
import { resolveThresholds } from '../../lib/decisions';
import { createPipelineActivities, type PlannedChange } from '../../activities/pipeline';
import { evaluateAndStore } from '../decisions/evaluate-day';
import { planAdsetChanges } from './adset-plan';
import { applyProposal, entityKey, liveOf } from './apply';
import type { AppliedChange, DayActions, DayContext } from './context';
import { optimizerSizing } from './sizing';
import { adsetTrimProposals, revertProposals, trimProposals } from './trim';

/**
 * One morning of the daily pipeline, with an approver who approves everything: the production
 * evaluation (decisions and alerts stored as of the simulated day), the production planning of
 * one proposal per actionable alert (sized from the simulated Meta's live budget), optionally the
 * optimiser's sizing, then the approval-time guardrails on the live facts, and the write. At
 * `--level auto` the campaigns whose budgets live on ad sets are decided per ad set instead
 * (adset-plan.ts), with the same sizing, waits, reverts and trims per ad set.
 */
export async function scaleflowDay(ctx: DayContext): Promise<DayActions> {
  const { warehouse, config } = ctx;
  await evaluateAndStore(warehouse, config, ctx.thresholds, ctx.asOf);
  const pipeline = createPipelineActivities({ config, warehouse, meta: ctx.meta });
  const plan = await pipeline.planBudgetChanges({ asOf: ctx.asOf });
  const byAdset = ctx.options.level === 'auto' ? adsetCampaigns(ctx) : new Set<string>();
  const adsets = byAdset.size ? await planAdsetChanges(ctx) : { changes: [], held: [], decisions: [] };
  const planned: PlannedChange[] = [
    ...plan.changes.filter((c) => !byAdset.has(c.proposal.campaignId)),
    ...adsets.changes,
  ];

  const limits = guardrailLimits(config, resolveThresholds(ctx.thresholds).of(''));
  // Learn before scaling again: a scale-up waits until the entity's last change has its outcome.
  const waiting = planned.filter(
    (c) =>
      c.proposal.action.kind === 'set_daily_budget' &&
      ((ctx.options.waitForOutcome && ctx.awaitingOutcome.has(entityKey(c.proposal))) ||
        ctx.learned.noRescale.has(entityKey(c.proposal))),
  );
  const ready = planned.filter((c) => !waiting.includes(c));
  const sized = ctx.options.sizing === 'optimizer' ? await optimizerSizing(ctx, ready) : { changes: ready, held: [] };
  sized.held.push(...waiting.map((c) => ({ campaignId: c.proposal.campaignId, type: c.proposal.type })));
  const busy = new Set([...planned.map((c) => entityKey(c.proposal)), ...byAdset]);
  const reverts = revertProposals(ctx, busy);
  for (const r of reverts) busy.add(entityKey(r.proposal));
  const trims = [...(await trimProposals(ctx, busy)), ...(await adsetTrimProposals(ctx, adsets.decisions, busy))];
  const actionsToday = new Map<string, number>();
  const result: DayActions = { applied: [], refused: [], heldByOptimizer: sized.held.length + adsets.held.length };
  const acted: { campaignId: string; type: string; workflowId: string }[] = [];
  for (const held of sized.held)
    await pipeline.dismissAlert({ date: ctx.asOf, campaignId: held.campaignId, type: held.type });

  for (const { workflowId, proposal } of [...sized.changes, ...reverts, ...trims]) {
    const live = liveOf(ctx, proposal);
    const verdict = checkGuardrails(
      proposal,
      {
        liveDailyBudgetCents: live.dailyBudgetCents,
        liveStatus: live.status,
        ownerActionsToday: actionsToday.get(proposal.owner) ?? 0,
        hoursSinceLastChange: live.lastChangedAtMs === null ? null : (ctx.nowMs - live.lastChangedAtMs) / 3_600_000,
      },
      limits,
    );
    if (!verdict.ok) {
      result.refused.push(...verdict.reasons);
      if (proposal.type !== 'rule' && !proposal.adset)
        await pipeline.dismissAlert({ date: ctx.asOf, campaignId: proposal.campaignId, type: proposal.type });
      continue;
    }
    const applied: AppliedChange | null = await applyProposal(ctx, proposal as Proposal, workflowId);
    if (!applied) continue;
    actionsToday.set(proposal.owner, (actionsToday.get(proposal.owner) ?? 0) + 1);
    if (proposal.type !== 'rule' && !proposal.adset)
      acted.push({ campaignId: proposal.campaignId, type: proposal.type, workflowId });
    result.applied.push(applied);
  }
  await pipeline.markAlertsActed({ asOf: ctx.asOf, changes: acted });
  return result;
}

/** The campaigns whose budgets live on their ad sets: at `auto`, decided per ad set. */
function adsetCampaigns(ctx: DayContext): Set<string> {
  return new Set(ctx.market.specs.filter((s) => s.adsets).map((s) => s.campaign_id));
}
