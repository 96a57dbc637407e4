import {
  ActivityFailure,
  CancellationScope,
  condition,
  isCancellation,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  BudgetChangeInput,
  BudgetChangeState,
  BudgetChangeStatus,
  DecisionRequest,
  RecordedDecision,
} from '../lib/approvals/proposal';
import { NOT_ALERTS } from '../lib/approvals/not-alerts';
import { searchAttributes } from '../lib/names';
import { proxyOn } from './queues';

export const decideUpdate = defineUpdate<RecordedDecision, [DecisionRequest]>('decide');
export const statusQuery = defineQuery<BudgetChangeStatus>('status');
/** Sent by a child to its parent once its approvers have been emailed (see BudgetChangeInput.tellParent). */
export const approvalRequestedSignal = defineSignal<[{ workflowId: string }]>('approvalRequested');

/**
 * Runs started before this patch audit the decision, then recheck, as two activities in turn;
 * newer ones do both at once as local activities, inside the workflow task the click arrived in.
 */
const DECISION_STEPS_IN_TASK = 'decision-audit-and-recheck-in-task';
/**
 * Newer still: both steps are warehouse activities again, on the warehouse's own queue. Workflow
 * tasks now run in every worker role, so a click taken while the warehouse worker is down (by a
 * meta or io worker) is kept, and its audit row and recheck wait in the queue until it is back.
 */
const DECISION_STEPS_ON_WAREHOUSE_QUEUE = 'decision-steps-on-warehouse-queue';

/**
 * Newer runs ask for approval in three workflow tasks, not five: the 'proposed' audit row beside the
 * approvers' lookup, then the emails beside the 'approval_requested' row, then the parent's signal.
 * The signal still waits for that row: the parent's report reads it for its approve links.
 */
const REQUEST_STEPS_SIDE_BY_SIDE = 'approval-request-steps-side-by-side';

/**
 * Newer runs also ask approvers who chose Slack (APPROVERS_FILE `people`), beside the emails; the
 * Slack activity posts nothing when nobody did.
 */
const APPROVAL_REQUESTS_ON_SLACK = 'approval-requests-on-slack';

/**
 * Newer still: the approvers' lookup also says whether any of them chose Slack, and the Slack
 * request is scheduled only then. Most proposals have email approvers only, and a day's hundreds
 * of Slack steps that posted nothing cost a task each and showed ops a step that did nothing.
 */
const SLACK_REQUEST_ONLY_FOR_SLACK_APPROVERS = 'slack-request-only-for-slack-approvers';

/**
 * An ad set's `duplicate` makes a PAUSED copy: it moves no spend, so there is nothing for a 7-day
 * outcome check to judge (resuming the copy is a change of its own, with its own check).
 */
const NO_OUTCOME_FOR_PAUSED_COPIES = 'adset-duplicate-no-outcome-check';

const quickOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const quick = proxyOn('warehouse', quickOptions);
const io = proxyOn('io', quickOptions);

// Runs that took the in-task path (DECISION_STEPS_IN_TASK) replay it: the decision's audit row and
// the recheck as local activities, in the workflow task the click arrived in.
const inTask = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// The write reads the live budget before every attempt, so a retry after an unknown outcome
// never doubles a budget; Meta's refusals and auth errors are final.
const meta = proxyOn('meta', {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['MetaBudgetRejected', 'MetaAuthError', 'MetaPermissionError'],
  },
});

/**
 * One proposed budget change, from proposal to the outcome check a week after it was written.
 * No budget on Meta changes without a named approver's decision.
 */
export async function budgetChange({ proposal, settings, tellParent }: BudgetChangeInput): Promise<BudgetChangeStatus> {
  const { workflowId, runId } = workflowInfo();
  // The outcome delay rides in the status so the approval page can say when the check will run;
  // it is the run's own input, not a command, so old histories replay unchanged.
  const status: BudgetChangeStatus = {
    state: 'proposed',
    proposal,
    approvers: [],
    outcomeDelayMs: settings.outcomeDelayMs,
  };
  setHandler(statusQuery, () => status);

  const setState = (state: BudgetChangeState, detail?: string) => {
    status.state = state;
    if (detail !== undefined) status.detail = detail;
    upsertSearchAttributes([{ key: searchAttributes.state, value: state }]);
  };
  const audit = (
    event: string,
    details: Record<string, unknown> = {},
    actor?: { who: string; ip?: string; userAgent?: string },
    via: Pick<typeof quick, 'appendAudit'> = quick,
  ) =>
    via.appendAudit({
      event,
      workflowId,
      runId,
      campaignId: proposal.campaignId,
      owner: proposal.owner,
      actor,
      details,
    });

  upsertSearchAttributes([
    { key: searchAttributes.owner, value: proposal.owner },
    { key: searchAttributes.campaign, value: proposal.campaignId },
    { key: searchAttributes.changeType, value: proposal.type },
    { key: searchAttributes.state, value: 'proposed' },
  ]);
  const sideBySide = !settings.unattended && patched(REQUEST_STEPS_SIDE_BY_SIDE);
  const channelsKnown = sideBySide && patched(SLACK_REQUEST_ONLY_FOR_SLACK_APPROVERS);
  // Set from the lookup on the newest path; older runs ask Slack by their own patch, below.
  let askOnSlack = false;
  if (channelsKnown) {
    const [channels] = await both(io.resolveApprovalChannels(proposal), audit('proposed', { proposal }));
    status.approvers = channels.approvers;
    askOnSlack = channels.slack;
  } else if (sideBySide)
    [status.approvers] = await both(io.resolveApprovers(proposal), audit('proposed', { proposal }));
  else {
    await audit('proposed', { proposal });
    status.approvers = settings.unattended ? [] : await io.resolveApprovers(proposal);
  }
  const expiresAtMs = Date.now() + settings.approvalTimeoutMs;
  status.expiresAt = new Date(expiresAtMs).toISOString();

  // Set once the approval emails are on their way, so a click can arrive before the workflow hears so.
  let requesting = false;
  setHandler(
    decideUpdate,
    (request) => {
      status.decision = { ...request, at: new Date().toISOString() };
      return status.decision;
    },
    {
      validator: (request) => {
        if (status.decision) {
          throw new Error(
            `already ${status.decision.decision === 'approve' ? 'approved' : 'rejected'} by ${status.decision.approver} at ${status.decision.at}`,
          );
        }
        // The email can reach an approver before the workflow hears its send (or the audit row beside
        // it) finished: a click in that moment is a decision, not a conflict.
        if (status.state !== 'awaiting_approval' && !(requesting && status.state === 'proposed'))
          throw new Error(`this proposal is ${status.state} and can no longer be decided`);
        if (!status.approvers.includes(request.approver))
          throw new Error(`${request.approver} is not an approver of this proposal`);
      },
    },
  );

  if (settings.unattended) {
    // An owner allowed this rule's bounded action to run without a click; the audit log says so.
    status.decision = {
      decision: 'approve',
      approver: settings.unattended.by,
      ip: '',
      userAgent: '',
      at: new Date().toISOString(),
    };
  } else if (sideBySide) {
    requesting = true;
    const request = { workflowId, proposal, approvers: status.approvers, expiresAtMs };
    // The row may land a moment before the emails are accepted; the emails retry until they are.
    if (!channelsKnown) askOnSlack = patched(APPROVAL_REQUESTS_ON_SLACK);
    await both<unknown, unknown>(
      askOnSlack ? both(io.requestApproval(request), io.requestSlackApproval(request)) : io.requestApproval(request),
      audit('approval_requested', { approvers: status.approvers, expiresAt: status.expiresAt }),
    );
    setState('awaiting_approval');
    if (tellParent) await tellParentRequested(workflowId);
  } else {
    requesting = true;
    await io.requestApproval({ workflowId, proposal, approvers: status.approvers, expiresAtMs });
    setState('awaiting_approval');
    await audit('approval_requested', { approvers: status.approvers, expiresAt: status.expiresAt });
    if (tellParent) await tellParentRequested(workflowId);
  }

  // An alert nobody acted on (or that was turned down) stops showing as open in the report.
  const dismissAlert = () =>
    !NOT_ALERTS.includes(proposal.type)
      ? quick.dismissAlert({ date: proposal.date, campaignId: proposal.campaignId, type: proposal.type })
      : Promise.resolve();
  // Ops may cancel a run from the Web UI while it waits for a person or for its outcome check:
  // the cancellation is recorded (state, audit, alert) before the run ends as cancelled.
  const cancellable = async <T>(stage: string, wait: () => Promise<T>): Promise<T> => {
    try {
      return await wait();
    } catch (err) {
      if (!isCancellation(err)) throw err;
      await CancellationScope.nonCancellable(async () => {
        setState('cancelled', `cancelled while ${stage}`);
        await audit('cancelled', { stage });
        if (stage === 'awaiting approval') await dismissAlert();
      });
      throw err;
    }
  };

  const decided = await cancellable('awaiting approval', () =>
    condition(() => status.decision !== undefined, settings.approvalTimeoutMs),
  );
  if (!decided) {
    setState('expired');
    await audit('expired', { expiresAt: status.expiresAt });
    await dismissAlert();
    return status;
  }
  const decision = status.decision!;
  const recordDecision = (via: Pick<typeof quick, 'appendAudit'> = quick) =>
    audit(
      'decided',
      { decision: decision.decision },
      { who: decision.approver, ip: decision.ip, userAgent: decision.userAgent },
      via,
    );
  if (decision.decision === 'reject') {
    await recordDecision();
    setState('rejected');
    await dismissAlert();
    return status;
  }

  let verdict;
  if (patched(DECISION_STEPS_ON_WAREHOUSE_QUEUE)) {
    // As below, side by side, but as activities any warehouse worker takes when it is up.
    setState('approved');
    const [recorded, rechecked] = await Promise.allSettled([
      recordDecision(),
      quick.recheckProposal({ workflowId, proposal }),
    ]);
    if (recorded.status === 'rejected') throw recorded.reason;
    if (rechecked.status === 'rejected') throw rechecked.reason;
    verdict = rechecked.value;
  } else if (patched(DECISION_STEPS_IN_TASK)) {
    // The recheck reads Meta and past writes, not the decision row, so both run at once; the
    // write still waits for both, so the audit log shows the decision before the write.
    setState('approved');
    const [recorded, rechecked] = await Promise.allSettled([
      recordDecision(inTask),
      inTask.recheckProposal({ workflowId, proposal }),
    ]);
    if (recorded.status === 'rejected') throw recorded.reason;
    if (rechecked.status === 'rejected') throw rechecked.reason;
    verdict = rechecked.value;
  } else {
    await recordDecision();
    setState('approved');
    verdict = await quick.recheckProposal({ workflowId, proposal });
  }
  if (!verdict.ok) {
    setState('refused', verdict.reasons.join('; '));
    await audit('refused', { reasons: verdict.reasons });
    return status;
  }

  let write;
  try {
    // No idempotency key: the write reads Meta first, so a retry finds its own earlier write.
    write = await meta.applyBudgetChange({ proposal, dryRun: settings.dryRun });
  } catch (err) {
    const message = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
    setState('write_failed', message);
    await audit('write_failed', { error: message });
    return status;
  }
  setState(write.result, write.detail);
  await audit(write.result, { ...write });
  if (write.result !== 'written') return status;
  // Only ad-set proposals can be duplicates, and none existed before this patch: campaign runs never call it.
  if (proposal.action.kind === 'duplicate' && patched(NO_OUTCOME_FOR_PAUSED_COPIES)) return status;

  // A durable timer: the check runs a week later even across worker restarts and deploys.
  await cancellable('waiting for the outcome check', () => sleep(settings.outcomeDelayMs));
  const outcome = await quick.checkOutcome({ workflowId, proposal, changeDate: write.changeDate });
  setState('outcome_checked');
  await audit('outcome', { outcome });
  return status;
}

/** Two steps started together; both finish (or fail) before the run goes on, the first failure thrown. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * A parent that has already finished (its report went out without this link) cannot be signalled:
 * nothing waits for the news any more, so that failure is not this run's.
 */
async function tellParentRequested(workflowId: string): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(approvalRequestedSignal, { workflowId });
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}
