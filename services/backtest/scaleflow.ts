import { checkGuardrails, guardrailLimits } from '../../lib/approvals/guardrails';
import type { Proposal } from '../../lib/approvals/proposal';
import { resolveThresholds } from '../../lib/decisions';
import { createPipelineActivities } from '../../activities/pipeline';
import { evaluateAndStore } from '../decisions/evaluate-day';
import { RAISE_HELD } from '../decisions/scale-sizing';
import { applyProposal, entityKey, liveOf } from './apply';
import type { AppliedChange, DayActions, DayContext } from './context';
import { heldOf, optimizerSizing } from './sizing';
import { adsetTrimProposals, revertProposals, trimProposals } from './trim';

/**
 * One morning of the daily pipeline, with an approver who approves everything: the production
 * evaluation (decisions and alerts stored as of the simulated day, at the run's level), the
 * production planning of one proposal per actionable alert (a campaign's sized from the simulated
 * Meta's live budget, an ad set's from its last synced state, named `adset` under its own workflow
 * key), optionally the optimiser's sizing, then the approval-time guardrails on the live facts, and
 * the write. `--level campaign` forces campaign decisions everywhere; `auto` decides per ad set
 * where the budget lives there, as production does.
 */
export async function scaleflowDay(ctx: DayContext): Promise<DayActions> {
  const { warehouse, config } = ctx;
  await evaluateAndStore(warehouse, config, ctx.thresholds, ctx.asOf, undefined, undefined, ctx.options.level);
  const pipeline = createPipelineActivities({ config, warehouse, meta: ctx.meta });
  const plan = await pipeline.planBudgetChanges({ asOf: ctx.asOf });
  const planned = plan.changes;
  // Raises the planning itself held (services/decisions/scale-sizing.ts) count and close as the optimiser's.
  const heldInPlanning = plan.skipped.filter((s) => s.reason.startsWith(RAISE_HELD));

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
  sized.held.push(...waiting.map(heldOf), ...heldInPlanning);
  const busy = new Set(planned.map((c) => entityKey(c.proposal)));
  const reverts = revertProposals(ctx, busy);
  for (const r of reverts) busy.add(entityKey(r.proposal));
  const trims = [...(await trimProposals(ctx, busy)), ...(await adsetTrimProposals(ctx, busy))];
  const actionsToday = new Map<string, number>();
  const result: DayActions = { applied: [], refused: [], heldByOptimizer: sized.held.length };
  const acted: { campaignId: string; adsetId?: string; type: string; workflowId: string }[] = [];
  for (const held of sized.held) await pipeline.dismissAlert({ date: ctx.asOf, ...held });

  for (const change of [...sized.changes, ...reverts, ...trims]) {
    const { workflowId, proposal } = change;
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
      if (proposal.type !== 'rule') await pipeline.dismissAlert({ date: ctx.asOf, ...heldOf(change) });
      continue;
    }
    const applied: AppliedChange | null = await applyProposal(ctx, proposal as Proposal, workflowId);
    if (!applied) continue;
    actionsToday.set(proposal.owner, (actionsToday.get(proposal.owner) ?? 0) + 1);
    if (proposal.type !== 'rule') acted.push({ ...heldOf(change), workflowId });
    result.applied.push(applied);
  }
  await pipeline.markAlertsActed({ asOf: ctx.asOf, changes: acted });
  return result;
}
