import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { proposalChart } from '../../lib/approvals/chart';
import { approvalView, formatInstant } from '../../lib/approvals/present';
import type { BudgetChangeStatus, Proposal } from '../../lib/approvals/proposal';
import { renderChart, type RenderedChart } from '../../lib/reports/charts';
import { rootDir } from '../../services/paths';
import { typeLabel } from '../../services/approvals/templates';
import { pageHeaders } from '../http/page-headers';
import type { HttpResponse } from '../http/router';

// Every value is escaped by {{...}}; the one triple-stash is the chart's SVG, which Plot builds
// from numbers (its only text, the alt, names no campaign).
const page = Handlebars.compile(readFileSync(join(rootDir, 'workers/approval/templates/page.hbs'), 'utf8'));
// The page's only form posts back to its own link.
const headers = pageHeaders({ forms: 'self' });

export type Tone = 'ok' | 'no' | 'info';

/** What every approval page needs from the worker's config. */
export interface PageSettings {
  /** TZ: times are shown in the account time zone. */
  timeZone: string;
  /** OUTCOME_DELAY, for runs whose status does not carry their own. */
  outcomeDelayMs: number;
}

/** Any approval page from its template's fields (a threshold change's page builds its own). */
export function renderPage(status: number, fields: Record<string, unknown>): HttpResponse {
  return { status, headers, html: page(fields) };
}

/** A page with only a title and a message: bad, expired or unknown links. */
export function messagePage(status: number, title: string, message: string): HttpResponse {
  return { status, headers, html: page({ title, message, tone: 'no' }) };
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

export function describeStatus(status: BudgetChangeStatus, timeZone: string): { message: string; tone: Tone } {
  const d = status.decision;
  const at = d ? formatInstant(d.at, timeZone) : '';
  if (d?.decision === 'reject')
    return { message: `Rejected by ${d.approver} at ${at}. Nothing was changed on Meta.`, tone: 'no' };
  const base = STATE_MESSAGES[status.state];
  if (d && base) {
    const detail = status.detail ? `: ${status.detail}` : '';
    return {
      message: `${base}${detail} (approved by ${d.approver} at ${at})`,
      tone: status.state === 'refused' || status.state === 'write_failed' ? 'no' : 'ok',
    };
  }
  if (d) return { message: `Approved by ${d.approver} at ${at}; the change is being written to Meta.`, tone: 'ok' };
  if (base) return { message: base, tone: 'info' };
  return { message: '', tone: 'info' };
}

// A proposal's days never change, so neither does its chart: drawing it once per run keeps the
// page (and the answer to a click) quick. Bounded: a day has tens of proposals, not thousands.
const charts = new Map<string, RenderedChart | null>();
function chartOf(proposal: Proposal, view: ReturnType<typeof approvalView>): RenderedChart | null {
  if (!view.numbers) return null;
  const key = `${proposal.campaignId}/${proposal.adset?.id ?? ''}/${proposal.date}/${proposal.type}/${JSON.stringify(proposal.figures)}`;
  if (!charts.has(key)) {
    if (charts.size >= 500) charts.delete(charts.keys().next().value!);
    const spec = proposalChart(view.numbers);
    charts.set(key, spec ? renderChart(spec) : null);
  }
  return charts.get(key) ?? null;
}

export function proposalPage(
  status: BudgetChangeStatus,
  approver: string,
  settings: PageSettings,
  httpStatus = 200,
  override?: { message: string; tone: Tone },
): HttpResponse {
  // The Update records the decision before the run moves on from awaiting_approval, so the answer
  // to a click can still see that state: a decision on record is what ends the buttons.
  const canDecide = status.state === 'awaiting_approval' && !status.decision && !override;
  const { message, tone } = override ?? describeStatus(status, settings.timeZone);
  const view = approvalView(status, {
    now: new Date(),
    timeZone: settings.timeZone,
    outcomeDelayMs: settings.outcomeDelayMs,
  });
  return {
    status: httpStatus,
    headers,
    html: page({
      title: canDecide ? 'Approve this budget change?' : 'Budget change',
      proposal: status.proposal,
      typeLabel: typeLabel(status.proposal.type),
      view,
      chart: chartOf(status.proposal, view),
      expiresAt: status.expiresAt ? formatInstant(status.expiresAt, settings.timeZone) : 'n/a',
      approver,
      canDecide,
      message,
      tone,
    }),
  };
}
