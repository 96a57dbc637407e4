import { ApplicationFailure, Context } from '@temporalio/activity';
import { channelOf } from '../../lib/approvals/approvers';
import { checkGuardrails, guardrailLimits, type GuardrailVerdict } from '../../lib/approvals/guardrails';
import { evidenceFacts, formatInstant } from '../../lib/approvals/present';
import { describeAction, entityWord, subjectOf, type Proposal } from '../../lib/approvals/proposal';
import { approveUrl, signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { resolveThresholds } from '../../lib/decisions';
import { dateIn } from '../../lib/dates';
import type { Mailer } from '../../services/mail/transport';
import { metrics } from '../../services/prometheus';
import { thresholdsWithOverrides } from '../../services/decisions/owner-thresholds';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { createApproverActivities } from './approvers';
import { createOutcomeActivities } from './outcome';
import { createAuditActivities } from './audit';
import { approverPolicyOrFail } from '../../services/approvals/approvers-file';
import type { BudgetWriteResult, LiveCampaign, MetaAdsets, MetaCampaigns } from '../../lib/meta/port';
import { metaAdsetsFromConfig } from '../meta';
import { template, typeLabel } from '../../services/approvals/templates';

export interface ApprovalDeps {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
  meta: MetaCampaigns;
  /** Ad-set proposals' reads and writes; by default over the SDK when META_ACCESS_TOKEN is set. */
  adsets?: MetaAdsets;
}

/** The copy's name suffix: unique per proposal, so a retried copy finds the one it made. */
const copySuffix = (p: Proposal) => ` - copy ${p.date} ${p.type}`;

/** Whether Meta's live state is the proposal's target while the proposal was made from another value. */
function landedEarlier(action: Proposal['action'], live: { dailyBudgetCents: number | null; status: string }): boolean {
  switch (action.kind) {
    case 'set_daily_budget':
      return action.fromCents !== action.toCents && live.dailyBudgetCents === action.toCents;
    case 'pause':
      return live.status === 'PAUSED';
    case 'resume':
      return live.status === 'ACTIVE';
    case 'duplicate':
      return false;
    case 'exclude_placement':
      // The read before the write found the placements already out: an earlier attempt's write.
      return true;
  }
}

export function createApprovalActivities({ config, warehouse, mailer, meta, ...deps }: ApprovalDeps) {
  const audit = createAuditActivities({ warehouse, secret: config.AUDIT_SECRET });
  const approvers = createApproverActivities({ config });
  const outcomes = createOutcomeActivities({ config, warehouse });
  const adsetPort = deps.adsets ?? metaAdsetsFromConfig(config, warehouse);
  const adsets = (): MetaAdsets => {
    if (!adsetPort) throw new Error('Meta access is not configured in this worker (META_ACCESS_TOKEN is not set)');
    return adsetPort;
  };
  const adsetRef = (p: Proposal & { adset: NonNullable<Proposal['adset']> }) => ({
    accountId: p.accountId,
    metaCampaignId: p.metaCampaignId,
    adsetId: p.adset.id,
  });
  /** Meta's live state of what the proposal changes, and when scaleflow last wrote to it (not this run). */
  const liveOf = async (
    proposal: Proposal,
    workflowId: string,
  ): Promise<{ live: LiveCampaign; lastWritten: string | null }> => {
    if (proposal.adset) {
      const live = await adsets().readAdset(adsetRef({ ...proposal, adset: proposal.adset }));
      const last = await warehouse.one<{ at: string | null }>(sqlFile('approvals/adset_last_change'), [
        proposal.adset.id,
        workflowId,
      ]);
      return { live, lastWritten: last?.at ?? null };
    }
    const live = await meta.readCampaign({ accountId: proposal.accountId, metaCampaignId: proposal.metaCampaignId });
    const last = await warehouse.one<{ at: string | null }>(sqlFile('approvals/last_change'), [
      proposal.campaignId,
      workflowId,
    ]);
    return { live, lastWritten: last?.at ?? null };
  };

  return {
    ...audit,
    ...approvers,
    ...outcomes,

    /** One email per approver who chose email (or both), each with a link signed for that approver alone. */
    async requestApproval(input: {
      workflowId: string;
      proposal: Proposal;
      approvers: string[];
      expiresAtMs: number;
    }): Promise<{ sent: number }> {
      if (!config.APPROVAL_SECRET) {
        throw ApplicationFailure.nonRetryable(
          'APPROVAL_SECRET is not set: approval links cannot be signed',
          'ConfigError',
        );
      }
      const { proposal } = input;
      const policy = approverPolicyOrFail(config.APPROVERS_FILE);
      const emailed = input.approvers.filter((approver) => channelOf(policy, approver).channel !== 'slack');
      for (const approver of emailed) {
        const token = await signApprovalToken(config.APPROVAL_SECRET, {
          workflowId: input.workflowId,
          approver,
          expiresAt: input.expiresAtMs,
        });
        const view = {
          proposal,
          approver,
          typeLabel: typeLabel(proposal.type),
          subject: subjectOf(proposal),
          action: describeAction(proposal.action, entityWord(proposal), proposal.currency),
          evidence: evidenceFacts(proposal.evidence),
          link: approveUrl(config.PUBLIC_BASE_URL, token),
          expiresAt: formatInstant(input.expiresAtMs, config.TZ),
        };
        const sent = await mailer.send({
          to: approver,
          subject: `Approve: ${describeAction(proposal.action, entityWord(proposal), proposal.currency)} for ${subjectOf(proposal)} (${proposal.owner})`,
          html: template('request-email')(view),
          text: template('request-email.txt')(view),
        });
        if (sent.rejected.length) throw new Error(`the mail server refused ${sent.rejected.join(', ')}`);
      }
      return { sent: emailed.length };
    },

    /** The guardrails again, on Meta's live state and today's actions, at approval time. */
    async recheckProposal({
      workflowId,
      proposal,
    }: {
      workflowId: string;
      proposal: Proposal;
    }): Promise<GuardrailVerdict> {
      // An ad-set proposal is checked on the ad set's own budget, status and last change (METRICS.md "Levels").
      const { live, lastWritten } = await liveOf(proposal, workflowId);
      const today = dateIn(config.TZ, new Date());
      const actions = await warehouse.one<{ n: number }>(sqlFile('approvals/owner_actions_today'), [
        proposal.owner,
        today,
        config.TZ,
      ]);
      const lastChanges = [
        lastWritten ? Date.parse(lastWritten) : null,
        live.lastChangedAt ? Date.parse(live.lastChangedAt) : null,
      ].filter((t): t is number => t !== null && Number.isFinite(t));
      const hoursSinceLastChange = lastChanges.length ? (Date.now() - Math.max(...lastChanges)) / 3_600_000 : null;
      return checkGuardrails(
        proposal,
        {
          liveDailyBudgetCents: live.dailyBudgetCents,
          liveStatus: live.status,
          liveCurrency: live.currency,
          ownerActionsToday: actions?.n ?? 0,
          hoursSinceLastChange,
        },
        // Read at each recheck, like the decisions read it each morning: an edited file applies at once.
        // Bounds in the ad account's currency as Meta says it now; a proposal from before currencies
        // were carried, with no live answer either, was in USD.
        guardrailLimits(
          config,
          resolveThresholds(await thresholdsWithOverrides(warehouse, config.THRESHOLDS_FILE)).of(proposal.owner),
          live.currency ?? proposal.currency ?? 'USD',
        ),
      );
    },

    async applyBudgetChange(input: { proposal: Proposal; dryRun: boolean }): Promise<BudgetWriteResult> {
      const dryRun =
        input.dryRun || config.DRY_RUN || config.DRY_RUN_OWNERS.includes(input.proposal.owner.toLowerCase());
      const ctx = Context.current();
      // Heartbeats tell Temporal quickly when this worker dies mid-write, so the retry (which reads
      // Meta before writing again) runs in seconds rather than after the start-to-close timeout.
      const beat = setInterval(() => ctx.heartbeat(), 1000);
      let write;
      try {
        const { proposal } = input;
        write = proposal.adset
          ? await adsets().applyAdsetAction({
              ...adsetRef({ ...proposal, adset: proposal.adset }),
              action: proposal.action,
              dryRun,
              copySuffix: copySuffix(proposal),
            })
          : await meta.applyAction({
              accountId: proposal.accountId,
              metaCampaignId: proposal.metaCampaignId,
              action: proposal.action,
              dryRun,
            });
      } finally {
        clearInterval(beat);
      }
      if (write.result === 'unchanged' && ctx.info.attempt > 1 && landedEarlier(input.proposal.action, write.before)) {
        // An earlier attempt wrote, then lost Meta's answer (a killed worker, a timeout): the read
        // before writing again found the target, so this is that write, confirmed, not a no-op.
        write = {
          ...write,
          result: 'written' as const,
          detail: `attempt ${ctx.info.attempt}: Meta already shows the target, so an earlier attempt's write landed; nothing was sent again`,
        };
      }
      metrics.budgetWrites.inc({ result: write.result });
      return { ...write, changeDate: dateIn(config.TZ, new Date()) };
    },
  };
}
