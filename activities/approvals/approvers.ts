import { Context } from '@temporalio/activity';
import { routeApprovers, slackMembersOf } from '../../lib/approvals/approvers';
import type { Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { approverPolicyOrFail } from '../../services/approvals/approvers-file';

/** Who decides a proposal, read from APPROVERS_FILE by the server: never from the workflow's input. */
export function createApproverActivities({ config }: { config: Config }) {
  const route = (proposal: Proposal) => {
    const policy = approverPolicyOrFail(config.APPROVERS_FILE);
    const routed = routeApprovers(policy, proposal);
    // Ops read why the managers were asked (a missing currency threshold above all) on the activity's log line.
    if (routed.why) Context.current().log.info(routed.why, { approvers: routed.approvers });
    return { policy, approvers: routed.approvers };
  };
  return {
    /** Runs started before the approvers' channels were looked up (budgetChange's patches) still call this. */
    async resolveApprovers(proposal: Proposal): Promise<string[]> {
      return route(proposal).approvers;
    },

    /**
     * The approvers, and whether any of them chose Slack: the workflow schedules the Slack request
     * only then. A boolean, not the policy, so the history carries no more than it needs.
     */
    async resolveApprovalChannels(proposal: Proposal): Promise<{ approvers: string[]; slack: boolean }> {
      const { policy, approvers } = route(proposal);
      return { approvers, slack: slackMembersOf(policy, approvers).length > 0 };
    },
  };
}
