import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { proxyOn } from '../queues';
import { approvalRequestedSignal, type budgetChange } from '../budget-change';
import type { PlannedChange } from '../../activities/pipeline';

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
  /** SLACK_CHANNEL is set (from the recorded settings): the pipeline posts the day there after the reports. */
  slackChannel?: true;
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
/**
 * Newer runs keep the plan in the warehouse's spool and read it back PLAN_PAGE changes at a time:
 * carried whole, 2,000 campaigns' plan was one 705 KB activity result (over the SDK's 512 KB warning).
 * They also start each page's children at once (the older ones, one workflow task per child).
 */
const PLAN_BY_REFERENCE = 'budget-plan-by-reference';
const PLAN_PAGE = 25;
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
  const byReference = patched(PLAN_BY_REFERENCE);
  const plan = byReference ? await warehouse.spoolBudgetChanges({ asOf }) : await warehouse.planBudgetChanges({ asOf });
  const settings = await warehouse.budgetChangeSettings();
  const summary: DecideSummary = {
    campaigns: evaluation.campaigns,
    alerts: evaluation.alerts,
    proposed: [],
    alreadyProposed: [],
    skipped: plan.skipped,
    ...(settings.slackChannel && { slackChannel: true as const }),
  };
  // Set before the first child starts, so no child's news can arrive unheard.
  const requested = new Set<string>();
  setHandler(approvalRequestedSignal, ({ workflowId }) => void requested.add(workflowId));
  const start = async (change: PlannedChange) => {
    try {
      await startChild<typeof budgetChange>('budgetChange', {
        workflowId: change.workflowId,
        args: [{ proposal: change.proposal, settings, tellParent: true }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return false;
    }
  };
  if ('key' in plan) {
    // A page's children are started together: one workflow task for the page, not one per child.
    for (let offset = 0; offset < plan.changes; offset += PLAN_PAGE) {
      const page = await warehouse.readPlannedChanges({ key: plan.key, offset, limit: PLAN_PAGE });
      const started = await Promise.all(page.map(start));
      page.forEach((c, i) => (started[i] ? summary.proposed : summary.alreadyProposed).push(c.workflowId));
    }
  } else
    for (const change of plan.changes)
      ((await start(change)) ? summary.proposed : summary.alreadyProposed).push(change.workflowId);
  // The report comes next and carries the approve links: let today's proposals reach their approvers first.
  if (patched(CHILDREN_SIGNAL)) {
    if (summary.proposed.length > 0) {
      await condition(() => summary.proposed.every((id) => requested.has(id)), APPROVAL_REQUESTS_WAIT);
      summary.notYetRequested = summary.proposed.filter((id) => !requested.has(id));
    }
  } else if (patched('report-waits-for-approval-requests') && summary.proposed.length > 0) {
    summary.notYetRequested = await waiting.awaitApprovalRequests({ workflowIds: summary.proposed });
  }
  if ('key' in plan) await warehouse.markPlannedAlertsActed({ asOf, key: plan.key });
  else
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
