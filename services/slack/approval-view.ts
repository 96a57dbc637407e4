import { evidenceFacts, formatInstant } from '../../lib/approvals/present';
import { describeAction, entityWord, subjectOf, type Proposal } from '../../lib/approvals/proposal';
import type { SlackApprovalView } from '../../lib/approvals/slack-message';
import { typeLabel } from '../approvals/templates';

/** A proposal in the approval email's words (describeAction's money, evidenceFacts' figures). */
export function slackApprovalView(
  workflowId: string,
  proposal: Proposal,
  expiresAtMs: number,
  timeZone: string,
): SlackApprovalView {
  return {
    workflowId,
    heading: `Approve: ${subjectOf(proposal)} (${proposal.owner}, ${typeLabel(proposal.type)})`,
    action: describeAction(proposal.action, entityWord(proposal)),
    reason: proposal.reason,
    evidence: evidenceFacts(proposal.evidence),
    expiresAt: formatInstant(expiresAtMs, timeZone),
  };
}
