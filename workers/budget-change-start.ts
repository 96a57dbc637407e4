import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Proposal } from '../lib/approvals/proposal';
import type { Config } from '../lib/config';
import { workflowIds } from '../lib/names';

/**
 * Starts the budgetChange workflow for a proposal, or finds the one already running for the same
 * business key (campaign, date, type): a re-run never proposes twice.
 */
export async function startBudgetChange(client: Client, config: Config, proposal: Proposal) {
  const workflowId = workflowIds.budgetChange(proposal.campaignId, proposal.date, proposal.type);
  try {
    const handle = await client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [
        {
          proposal,
          settings: {
            approvalTimeoutMs: config.APPROVAL_TIMEOUT,
            outcomeDelayMs: config.OUTCOME_DELAY,
            dryRun: config.DRY_RUN,
          },
        },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, existing: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, runId: undefined, existing: true };
    throw err;
  }
}
