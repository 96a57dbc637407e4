import { ApplicationFailure } from '@temporalio/activity';
import { slackMembersOf } from '../../lib/approvals/approvers';
import type { Proposal } from '../../lib/approvals/proposal';
import { approvalBlocks, approvalText } from '../../lib/approvals/slack-message';
import type { Config } from '../../lib/config';
import { approverPolicyOrFail } from '../../services/approvals/approvers-file';
import { slackApprovalView } from '../../services/slack/approval-view';
import { slackClient } from '../../services/slack/client';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { createSlackChannelActivities } from './channel';

export function createSlackActivities({ config, warehouse }: { config: Config; warehouse: Warehouse }) {
  return {
    ...createSlackChannelActivities({ config, warehouse }),
    /**
     * A direct message with the proposal's numbers and Approve / Reject to each approver who chose
     * Slack (or both); the email activity leaves them out. Nobody on Slack: nothing is sent.
     */
    async requestSlackApproval(input: {
      workflowId: string;
      proposal: Proposal;
      approvers: string[];
      expiresAtMs: number;
    }): Promise<{ posted: number }> {
      const policy = approverPolicyOrFail(config.APPROVERS_FILE);
      const members = slackMembersOf(policy, input.approvers);
      if (!members.length) return { posted: 0 };
      if (!config.SLACK_BOT_TOKEN)
        throw ApplicationFailure.nonRetryable(
          'SLACK_BOT_TOKEN is not set, but an approver of this proposal chose Slack',
          'ConfigError',
        );
      const slack = slackClient(config);
      const view = slackApprovalView(input.workflowId, input.proposal, input.expiresAtMs, config.TZ);
      for (const channel of members) {
        // A user id as the channel opens (or reuses) the bot's direct message with that person.
        await slack.chat.postMessage({ channel, text: approvalText(view), blocks: approvalBlocks(view) });
      }
      return { posted: members.length };
    },
  };
}
