import { slackActionId } from '../slack/interaction';
import type { Fact } from './present';

/** What an approval request shows; the same words and money formatting as the approval email. */
export interface SlackApprovalView {
  workflowId: string;
  heading: string;
  action: string;
  reason: string;
  evidence: Fact[];
  expiresAt: string;
}

// plain_text everywhere: a campaign name or reason is shown as typed, never read as a mention or link.
const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: false });

/** chat.postMessage's blocks: the proposal's numbers, then Approve and Reject. */
export function approvalBlocks(view: SlackApprovalView) {
  return [
    { type: 'header', text: plain(view.heading.slice(0, 150)) },
    { type: 'section', text: plain(`${view.action}\n${view.reason}`) },
    ...(view.evidence.length
      ? [{ type: 'section', fields: view.evidence.slice(0, 10).map((f) => plain(`${f.label}: ${f.value}`)) }]
      : []),
    {
      type: 'actions',
      block_id: 'decision',
      elements: [
        {
          type: 'button',
          style: 'primary',
          text: plain('Approve'),
          action_id: slackActionId('approve', view.workflowId),
        },
        { type: 'button', style: 'danger', text: plain('Reject'), action_id: slackActionId('reject', view.workflowId) },
      ],
    },
    { type: 'context', elements: [plain(`Expires ${view.expiresAt}.`)] },
  ];
}

/** The fallback text (notifications, screen readers) of the same message. */
export const approvalText = (view: SlackApprovalView) => `${view.heading}: ${view.action}`;

/** The message once decided: the numbers stay, the buttons give way to who decided. */
export function decidedBlocks(view: Pick<SlackApprovalView, 'heading'>, outcome: string) {
  return [
    { type: 'header', text: plain(view.heading.slice(0, 150)) },
    { type: 'section', text: plain(outcome) },
  ];
}
