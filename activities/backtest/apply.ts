import type { Proposal } from '../../lib/approvals/proposal';
import { appendAuditRow } from '../approvals/audit';
import type { AppliedChange, DayContext } from './context';

/** Which simulated campaign a proposal is for. */
export function campaignIndex(ctx: DayContext, campaignId: string): number {
  const i = ctx.market.specs.findIndex((s) => s.campaign_id === campaignId);
  if (i < 0) throw new Error(`no simulated campaign ${campaignId}`);
  return i;
}

/**
 * Writes an approved proposal to the simulated Meta and records it as executed, at the simulated
 * instant; returns the change for its outcome check, or null when Meta already had it.
 */
export async function applyProposal(ctx: DayContext, proposal: Proposal, workflowId: string): Promise<AppliedChange | null> {
  const write = ctx.meta.apply(campaignIndex(ctx, proposal.campaignId), proposal.action);
  if (write.result !== 'written') return null;
  await appendAuditRow(
    ctx.warehouse,
    {
      event: 'written',
      workflowId,
      runId: `backtest-${ctx.options.policy}`,
      campaignId: proposal.campaignId,
      owner: proposal.owner,
      actor: { who: `backtest:${ctx.options.policy}` },
      details: { action: proposal.action, before: write.before, after: write.after, simulated: true },
    },
    ctx.nowMs,
  );
  return { workflowId, proposal, changeDate: ctx.asOf };
}
