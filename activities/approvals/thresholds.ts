import { ApplicationFailure } from '@temporalio/activity';
import { ownerApprovers } from '../../lib/approvals/approvers';
import { formatInstant } from '../../lib/approvals/present';
import {
  describeThresholdChange,
  thresholdReason,
  type ThresholdChangeInput,
} from '../../lib/approvals/threshold-change';
import { approveUrl, signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { approverPolicyOrFail } from '../../services/approvals/approvers-file';
import { template } from '../../services/approvals/templates';
import { calibrationReport } from '../../services/analytics/calibration-query';
import {
  recentOwnerThresholds,
  thresholdsWithOverrides,
  writeOwnerThreshold,
} from '../../services/decisions/owner-thresholds';
import { resolveThresholds } from '../../lib/decisions';
import type { Mailer } from '../../services/mail/transport';
import type { Warehouse } from '../../services/warehouse/warehouse';

type Proposal = ThresholdChangeInput['proposal'];

/** A calibration's threshold change: who approves it, their signed links, and the override an approval writes. */
export function createThresholdActivities({
  config,
  warehouse,
  mailer,
}: {
  config: Config;
  warehouse: Warehouse;
  mailer: Mailer;
}) {
  return {
    /**
     * The day's threshold proposals from calibration (90 days of outcome checks ending asOf), for the
     * daily pipeline to start one thresholdChange each. An owner whose field an approver changed within
     * those 90 days is left out: the checks that called for it were judged under the old threshold.
     */
    async calibrationProposals({ asOf }: { asOf: string }): Promise<{
      proposals: Proposal[];
      approvalTimeoutMs: number;
    }> {
      const thresholds = resolveThresholds(await thresholdsWithOverrides(warehouse, config.THRESHOLDS_FILE));
      const report = await calibrationReport(
        warehouse,
        { as_of: asOf, owner: 'all' },
        { minChecks: config.CALIBRATION_MIN_CHECKS, thresholds },
      );
      const recent = await recentOwnerThresholds(warehouse, asOf);
      return {
        proposals: report.proposals
          .filter((p) => !recent.has(`${p.owner.trim().toLowerCase()}/${p.field}`))
          .map((p) => ({ ...p, date: asOf })),
        approvalTimeoutMs: config.APPROVAL_TIMEOUT,
      };
    },

    /** The owner's own approvers from APPROVERS_FILE (else the default ones): never a name the caller sends. */
    async resolveOwnerApprovers({ owner }: { owner: string }): Promise<string[]> {
      return ownerApprovers(approverPolicyOrFail(config.APPROVERS_FILE), owner);
    },

    /** One email per approver, each with a link signed for that approver alone, expiring with the proposal. */
    async requestThresholdApproval(input: {
      workflowId: string;
      proposal: Proposal;
      approvers: string[];
      expiresAtMs: number;
    }): Promise<{ sent: number }> {
      if (!config.APPROVAL_SECRET)
        throw ApplicationFailure.nonRetryable(
          'APPROVAL_SECRET is not set: approval links cannot be signed',
          'ConfigError',
        );
      for (const approver of input.approvers) {
        const token = await signApprovalToken(config.APPROVAL_SECRET, {
          workflowId: input.workflowId,
          approver,
          expiresAt: input.expiresAtMs,
        });
        const view = {
          proposal: input.proposal,
          approver,
          change: describeThresholdChange(input.proposal),
          reason: thresholdReason(input.proposal),
          link: approveUrl(config.PUBLIC_BASE_URL, token),
          expiresAt: formatInstant(input.expiresAtMs, config.TZ),
        };
        const sent = await mailer.send({
          to: approver,
          subject: `Approve: ${view.change}`,
          html: template('threshold-email')(view),
          text: template('threshold-email.txt')(view),
        });
        if (sent.rejected.length) throw new Error(`the mail server refused ${sent.rejected.join(', ')}`);
      }
      return { sent: input.approvers.length };
    },

    /** The approved override; writing it again (a retry) leaves the same row. */
    async writeOwnerThreshold(input: { workflowId: string; proposal: Proposal; approver: string }): Promise<void> {
      const { proposal } = input;
      await writeOwnerThreshold(warehouse, {
        owner: proposal.owner,
        field: proposal.field,
        to: proposal.to,
        from: proposal.from,
        workflowId: input.workflowId,
        approver: input.approver,
      });
    },
  };
}
