import type { CellRow } from './arrow';

/**
 * Which proposals in a report one recipient may approve. A cell offers approve links by returning
 * the columns workflow_id, approval_state, approvers (comma-separated emails), expires_at (ISO
 * instant from the audit log), campaign_name and alert. Only rows awaiting approval whose
 * approvers name the recipient qualify: a link is signed for one approver and must reach no one
 * else. Pure: signing happens in the activity that holds APPROVAL_SECRET.
 */
export interface PendingApproval {
  workflowId: string;
  approver: string;
  /** Epoch milliseconds: the expiry the proposal already has, so the link dies with it. */
  expiresAt: number;
  campaign: string;
  alert: string;
}

export const APPROVAL_COLUMNS = ['workflow_id', 'approval_state', 'approvers', 'expires_at'] as const;

export function offersApprovals(rows: CellRow[]): boolean {
  return rows.length > 0 && APPROVAL_COLUMNS.every((c) => c in rows[0]!);
}

export function pendingFor(rows: CellRow[], recipient: string): PendingApproval[] {
  if (!offersApprovals(rows)) return [];
  const me = recipient.trim().toLowerCase();
  const pending: PendingApproval[] = [];
  for (const row of rows) {
    if (
      row.approval_state !== 'awaiting approval' ||
      typeof row.workflow_id !== 'string' ||
      typeof row.expires_at !== 'string'
    )
      continue;
    const approvers = String(row.approvers ?? '')
      .split(',')
      .map((a) => a.trim());
    const approver = approvers.find((a) => a.toLowerCase() === me);
    const expiresAt = Date.parse(row.expires_at);
    if (!approver || !Number.isFinite(expiresAt)) continue;
    pending.push({
      workflowId: row.workflow_id,
      approver,
      expiresAt,
      campaign: String(row.campaign_name ?? ''),
      alert: String(row.alert ?? ''),
    });
  }
  return pending;
}
