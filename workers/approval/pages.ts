import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describeAction, type BudgetChangeStatus } from '../../lib/approvals/proposal';
import { rootDir } from '../../activities/paths';
import { evidenceRows, TYPE_LABELS } from '../../activities/approvals/templates';
import type { HttpResponse } from '../http/router';

const page = Handlebars.compile(readFileSync(join(rootDir, 'workers/approval/templates/page.hbs'), 'utf8'));

export type Tone = 'ok' | 'no' | 'info';

/** A page with only a title and a message: bad, expired or unknown links. */
export function messagePage(status: number, title: string, message: string): HttpResponse {
  return { status, html: page({ title, message, tone: 'no' }) };
}

const STATE_MESSAGES: Partial<Record<BudgetChangeStatus['state'], string>> = {
  expired: 'This proposal expired without a decision. Nothing was changed on Meta.',
  cancelled: 'This proposal was cancelled by operations. Nothing was changed on Meta.',
  refused: 'Approved, but the guardrails no longer held at approval time, so nothing was written',
  written: 'Approved and written to Meta.',
  unchanged: 'Approved; Meta already had this budget, so nothing needed writing.',
  dry_run: 'Approved in dry-run mode: recorded, not sent to Meta.',
  write_failed: 'Approved, but Meta refused the change',
  outcome_checked: 'Approved, written to Meta, and its 7-day outcome has been checked.',
};

export function describeStatus(status: BudgetChangeStatus): { message: string; tone: Tone } {
  const d = status.decision;
  if (d?.decision === 'reject') return { message: `Rejected by ${d.approver} at ${d.at}. Nothing was changed on Meta.`, tone: 'no' };
  const base = STATE_MESSAGES[status.state];
  if (d && base) {
    const detail = status.detail ? `: ${status.detail}` : '';
    return { message: `${base}${detail} (approved by ${d.approver} at ${d.at})`, tone: status.state === 'refused' || status.state === 'write_failed' ? 'no' : 'ok' };
  }
  if (d) return { message: `Approved by ${d.approver} at ${d.at}; the change is being written to Meta.`, tone: 'ok' };
  if (base) return { message: base, tone: 'info' };
  return { message: '', tone: 'info' };
}

export function proposalPage(status: BudgetChangeStatus, approver: string, httpStatus = 200, override?: { message: string; tone: Tone }): HttpResponse {
  const canDecide = status.state === 'awaiting_approval' && !override;
  const { message, tone } = override ?? describeStatus(status);
  return {
    status: httpStatus,
    html: page({
      title: canDecide ? 'Approve this budget change?' : 'Budget change',
      proposal: status.proposal,
      typeLabel: TYPE_LABELS[status.proposal.type] ?? status.proposal.type,
      action: describeAction(status.proposal.action),
      evidence: evidenceRows(status.proposal.evidence),
      expiresAt: status.expiresAt ? new Date(status.expiresAt).toUTCString() : 'n/a',
      approver,
      canDecide,
      message,
      tone,
    }),
  };
}
