import {
  describeThresholdChange,
  thresholdReason,
  type ThresholdChangeStatus,
} from '../../lib/approvals/threshold-change';
import { formatInstant } from '../../lib/approvals/present';
import type { HttpResponse } from '../http/router';
import { renderPage, type PageSettings, type Tone } from './pages';

/** Whether a signed link is for a calibration's threshold change rather than a budget change. */
export const isThresholdRun = (workflowId: string) => workflowId.startsWith('threshold-change/');

export function describeThresholdStatus(
  status: ThresholdChangeStatus,
  timeZone: string,
): { message: string; tone: Tone } {
  const d = status.decision;
  const by = d ? ` by ${d.approver} at ${formatInstant(d.at, timeZone)}` : '';
  const owner = status.proposal.owner;
  if (d?.decision === 'reject') return { message: `Rejected${by}. ${owner}'s thresholds are unchanged.`, tone: 'no' };
  if (status.state === 'written')
    return { message: `Approved${by}: ${owner}'s next decisions use the new threshold.`, tone: 'ok' };
  if (d) return { message: `Approved${by}; the new threshold is being recorded.`, tone: 'ok' };
  if (status.state === 'expired')
    return { message: `This proposal expired without a decision. ${owner}'s thresholds are unchanged.`, tone: 'info' };
  return { message: '', tone: 'info' };
}

/** The approval page of a threshold change: what changes for whom, why, and the two buttons while it is open. */
export function thresholdPage(
  status: ThresholdChangeStatus,
  approver: string,
  settings: PageSettings,
  httpStatus = 200,
  override?: { message: string; tone: Tone },
): HttpResponse {
  const canDecide = status.state === 'awaiting_approval' && !status.decision && !override;
  const { message, tone } = override ?? describeThresholdStatus(status, settings.timeZone);
  return renderPage(httpStatus, {
    title: canDecide ? 'Approve this threshold change?' : 'Threshold change',
    threshold: {
      proposal: status.proposal,
      change: describeThresholdChange(status.proposal),
      reason: thresholdReason(status.proposal),
    },
    expiresAt: status.expiresAt ? formatInstant(status.expiresAt, settings.timeZone) : 'n/a',
    approver,
    canDecide,
    message,
    tone,
  });
}
