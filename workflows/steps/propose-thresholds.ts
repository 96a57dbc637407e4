import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { workflowIds } from '../../lib/names';
import { proxyOn } from '../queues';
import type { thresholdChange } from '../threshold-change';

const warehouse = proxyOn('warehouse', {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export interface ThresholdProposalSummary {
  proposed: string[];
  alreadyProposed: string[];
}

/**
 * One thresholdChange child per threshold calibration proposes today. The id is the owner, day and
 * ROAS band, so a re-run of the day (or a second proposal the same day) finds the run already started.
 * Children wait for a person, so they outlive the pipeline (abandoned once started).
 */
export async function proposeThresholds(asOf: string): Promise<ThresholdProposalSummary> {
  const { proposals, approvalTimeoutMs } = await warehouse.calibrationProposals({ asOf });
  const summary: ThresholdProposalSummary = { proposed: [], alreadyProposed: [] };
  for (const proposal of proposals) {
    const workflowId = workflowIds.thresholdChange(proposal.owner, asOf, proposal.because.roas_band);
    try {
      await startChild<typeof thresholdChange>('thresholdChange', {
        workflowId,
        args: [{ proposal, approvalTimeoutMs }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A decided (or expired) proposal closed its run: the same owner, band and day is not asked again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      summary.proposed.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      summary.alreadyProposed.push(workflowId);
    }
  }
  return summary;
}
