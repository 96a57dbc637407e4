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

/** Which ad set of simulated campaign `i` a Meta ad-set id is. */
export function adsetIndex(ctx: Pick<DayContext, 'market'>, i: number, adsetId: string): number {
  const a = ctx.market.specs[i]!.adsets?.findIndex((s) => s.adset_id === adsetId) ?? -1;
  if (a < 0) throw new Error(`simulated campaign ${ctx.market.specs[i]!.campaign_id} has no ad set ${adsetId}`);
  return a;
}

/** What a change is made to: the ad set it names, else its campaign. Waits and lessons are kept per entity. */
export function entityKey(proposal: Pick<Proposal, 'campaignId' | 'adset'>): string {
  return proposal.adset ? adsetKey(proposal.adset.id) : proposal.campaignId;
}

export function adsetKey(adsetId: string): string {
  return `adset-${adsetId}`;
}

/** The live budget and status of what the proposal changes (its ad set, or its campaign). */
export function liveOf(ctx: DayContext, proposal: Pick<Proposal, 'campaignId' | 'adset'>) {
  const i = campaignIndex(ctx, proposal.campaignId);
  return proposal.adset ? ctx.meta.adsetState(i, adsetIndex(ctx, i, proposal.adset.id)) : ctx.meta.state(i);
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
  const i = campaignIndex(ctx, proposal.campaignId);
  const write = proposal.adset
    ? ctx.meta.applyToAdset(i, adsetIndex(ctx, i, proposal.adset.id), proposal.action)
    : ctx.meta.apply(i, proposal.action);
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
      details: {
        action: proposal.action,
        ...(proposal.adset && { adset: proposal.adset }),
        before: write.before,
        after: write.after,
        simulated: true,
      },
    },
    ctx.nowMs,
  );
  return { workflowId, proposal, changeDate: ctx.asOf, before: write.before };
}
