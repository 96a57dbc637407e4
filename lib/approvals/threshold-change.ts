import type { ThresholdProposal } from '../calibration';
import type { RecordedDecision } from './proposal';

/** What a thresholdChange run is started with: the calibration's proposal, the day it was made. */
export interface ThresholdChangeInput {
  proposal: ThresholdProposal & { date: string };
  approvalTimeoutMs: number;
}

export type ThresholdChangeState = 'proposed' | 'awaiting_approval' | 'approved' | 'rejected' | 'expired' | 'written';

/** What the approval page and `status` query show of a threshold change. */
export interface ThresholdChangeStatus {
  kind: 'threshold_change';
  state: ThresholdChangeState;
  proposal: ThresholdChangeInput['proposal'];
  approvers: string[];
  expiresAt?: string;
  decision?: RecordedDecision;
}

/** The page's and email's one-line summary, in the owner's words. */
export function describeThresholdChange(p: ThresholdProposal): string {
  return `raise ${p.owner}'s scale-up ROAS threshold from ${p.from}% to ${p.to}%`;
}

/** Why: the band's checked scale-ups, how many were right, and the interval's upper bound. */
export function thresholdReason(p: ThresholdProposal): string {
  const b = p.because;
  return (
    `${b.right} of ${b.checked} scale-ups from ROAS band ${b.roas_band}% were right over 90 days; ` +
    `the 95% interval's upper bound ${(b.high * 100).toFixed(1)}% is below the 80% target`
  );
}
