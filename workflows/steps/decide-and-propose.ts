import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { proxyOn } from '../queues';
import { approvalRequestedSignal, type budgetChange } from '../budget-change';

const warehouse = proxyOn('warehouse', {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export interface DecideSummary {
  campaigns: number;
  alerts: number;
  proposed: string[];
  alreadyProposed: string[];
  skipped: { campaignId: string; type: string; reason: string }[];
  /** Proposals that had not emailed their approvers when the report went out (so it has no link for them). */
  notYetRequested?: string[];
}

// Runs started before CHILDREN_SIGNAL polled the audit log from this activity until each child
// had asked its approvers; they still replay through it.
const waiting = proxyOn('warehouse', {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** Newer runs are told by each child (approvalRequestedSignal) instead of polling the audit log. */
const CHILDREN_SIGNAL = 'children-signal-approval-requests';
/** How long the report waits for today's proposals to reach their approvers. */
const APPROVAL_REQUESTS_WAIT = '1 minute';

/**
 * After the load: the day's decisions and alerts, then one budgetChange child per actionable
 * alert. Children outlive the pipeline (they wait for a person, then a week for the outcome), so
 * the parent abandons them once started; their ids are business keys, so a re-run of the day
 * finds the ones already started instead of proposing twice.
 */
export async function decideAndPropose(asOf: string): Promise<DecideSummary> {
  const evaluation = await warehouse.evaluateDay({ asOf });
  const plan = await warehouse.planBudgetChanges({ asOf });
  const settings = await warehouse.budgetChangeSettings();
  const summary: DecideSummary = {
    campaigns: evaluation.campaigns,
    alerts: evaluation.alerts,
    proposed: [],
    alreadyProposed: [],
    skipped: plan.skipped,
  };
  // Set before the first child starts, so no child's news can arrive unheard.
  const requested = new Set<string>();
  setHandler(approvalRequestedSignal, ({ workflowId }) => void requested.add(workflowId));
  for (const change of plan.changes) {
    try {
      await startChild<typeof budgetChange>('budgetChange', {
        workflowId: change.workflowId,
        args: [{ proposal: change.proposal, settings, tellParent: true }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      summary.proposed.push(change.workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      summary.alreadyProposed.push(change.workflowId);
    }
  }
  // The report comes next and carries the approve links: let today's proposals reach their approvers first.
  if (patched(CHILDREN_SIGNAL)) {
    if (summary.proposed.length > 0) {
      await condition(() => summary.proposed.every((id) => requested.has(id)), APPROVAL_REQUESTS_WAIT);
      summary.notYetRequested = summary.proposed.filter((id) => !requested.has(id));
    }
  } else if (patched('report-waits-for-approval-requests') && summary.proposed.length > 0) {
    summary.notYetRequested = await waiting.awaitApprovalRequests({ workflowIds: summary.proposed });
  }
  await warehouse.markAlertsActed({
    asOf,
    changes: plan.changes.map((c) => ({
      campaignId: c.proposal.campaignId,
      type: c.proposal.type,
      workflowId: c.workflowId,
    })),
  });
  return summary;
}
