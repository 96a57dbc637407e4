import { condition, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ThresholdChangeInput, ThresholdChangeStatus } from '../lib/approvals/threshold-change';
import { decideUpdate } from './budget-change';
import { proxyOn } from './queues';

/** A threshold change's status: its own query name, so the approval page knows which kind of run a link is for. */
export const thresholdStatusQuery = defineQuery<ThresholdChangeStatus>('thresholdStatus');

const quickOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const quick = proxyOn('warehouse', quickOptions);
const io = proxyOn('io', quickOptions);

/**
 * A threshold change calibration proposed for one owner (lib/calibration.ts), approved like a
 * budget change: the owner's approvers get a signed link, any one of them decides, and an approval
 * writes the owner's override (owner_thresholds) beside an audit row with before and after. The
 * decision reaches the run through the same `decide` Update as a budget change's.
 */
export async function thresholdChange({
  proposal,
  approvalTimeoutMs,
}: ThresholdChangeInput): Promise<ThresholdChangeStatus> {
  const { workflowId, runId } = workflowInfo();
  const status: ThresholdChangeStatus = { kind: 'threshold_change', state: 'proposed', proposal, approvers: [] };
  setHandler(thresholdStatusQuery, () => status);
  const audit = (
    event: string,
    details: Record<string, unknown>,
    actor?: { who: string; ip?: string; userAgent?: string },
  ) => quick.appendAudit({ event, workflowId, runId, campaignId: '', owner: proposal.owner, actor, details });

  const [approvers] = await Promise.all([
    io.resolveOwnerApprovers({ owner: proposal.owner }),
    audit('threshold_proposed', { proposal }),
  ]);
  status.approvers = approvers;
  const expiresAtMs = Date.now() + approvalTimeoutMs;
  status.expiresAt = new Date(expiresAtMs).toISOString();
  setHandler(
    decideUpdate,
    (request) => {
      status.decision = { ...request, at: new Date().toISOString() };
      return status.decision;
    },
    {
      validator: (request) => {
        if (status.decision) throw new Error(`already decided by ${status.decision.approver} at ${status.decision.at}`);
        if (status.state !== 'awaiting_approval' && status.state !== 'proposed')
          throw new Error(`this proposal is ${status.state} and can no longer be decided`);
        if (!status.approvers.includes(request.approver))
          throw new Error(`${request.approver} is not an approver of this proposal`);
      },
    },
  );
  await Promise.all([
    io.requestThresholdApproval({ workflowId, proposal, approvers, expiresAtMs }),
    audit('approval_requested', { approvers, expiresAt: status.expiresAt }),
  ]);
  status.state = 'awaiting_approval';

  if (!(await condition(() => status.decision !== undefined, approvalTimeoutMs))) {
    status.state = 'expired';
    await audit('expired', { expiresAt: status.expiresAt });
    return status;
  }
  const decision = status.decision!;
  const actor = { who: decision.approver, ip: decision.ip, userAgent: decision.userAgent };
  if (decision.decision === 'reject') {
    status.state = 'rejected';
    await audit('decided', { decision: 'reject' }, actor);
    return status;
  }
  status.state = 'approved';
  await audit('decided', { decision: 'approve' }, actor);
  await quick.writeOwnerThreshold({ workflowId, proposal, approver: decision.approver });
  const change = { field: proposal.field, before: proposal.from, after: proposal.to };
  await audit('threshold_written', change, actor);
  status.state = 'written';
  return status;
}
