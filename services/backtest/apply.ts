import { randomBytes } from 'node:crypto';
import { proposalSchema, type Proposal, type ProposalInput } from '../../lib/approvals/proposal';
import { appendAuditRow } from '../../activities/approvals/audit';
import type { AppliedChange, DayContext } from './context';

/** Which simulated campaign a proposal is for. */
export function campaignIndex(ctx: DayContext, campaignId: string): number {
  const i = ctx.market.specs.findIndex((s) => s.campaign_id === campaignId);
  if (i < 0) throw new Error(`no simulated campaign ${campaignId}`);
  return i;
}

/** A proposal for simulated campaign `i`, dated the simulated day, with where it lives on Meta filled in. */
export function simulatedProposal(
  ctx: DayContext,
  i: number,
  change: Pick<ProposalInput, 'type' | 'action' | 'reason' | 'evidence'>,
): Proposal {
  const spec = ctx.market.specs[i]!;
  return proposalSchema.parse({
    campaignId: spec.campaign_id,
    campaignName: spec.campaign_name,
    metaCampaignId: spec.meta_campaign_id,
    accountId: spec.account_id,
    owner: spec.owner,
    date: ctx.asOf,
    ...change,
  });
}

/**
 * The simulated trail lives in a scratch file and proves nothing, so it is keyed with a throwaway key and has no
 * head file.
 */
const SIMULATION_CHAIN = { key: randomBytes(32).toString('hex'), headFile: null };

/**
 * Writes an approved proposal to the simulated Meta and records it as executed, at the simulated
 * instant; returns the change for its outcome check, or null when Meta already had it.
 */
export async function applyProposal(
  ctx: DayContext,
  proposal: Proposal,
  workflowId: string,
): Promise<AppliedChange | null> {
  const write = ctx.meta.apply(campaignIndex(ctx, proposal.campaignId), proposal.action);
  if (write.result !== 'written') return null;
  await appendAuditRow(
    ctx.warehouse,
    SIMULATION_CHAIN,
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
