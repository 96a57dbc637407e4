import { addMilliseconds, formatDuration, intervalToDuration } from 'date-fns';
import { roundTo } from '../money';
import { formatDay, formatPercent } from '../reports/format';
import { expectedMarginPerDay, proposalNumbers, type ExpectedMargin, type ProposalNumbers } from './figures';
import {
  entityWord,
  placementList,
  subjectOf,
  type BudgetAction,
  type BudgetChangeStatus,
  type Proposal,
} from './proposal';

/**
 * How the approval page words a proposal: money with its currency, ROAS with %, times in the
 * account time zone, labels a person reads. Pure: the page passes the clock and the zone in.
 */
export interface Fact {
  label: string;
  value: string;
  /** How the value was made, in small print under it. */
  note?: string;
}

/** Strateg.is money (evidence, daily numbers) is US dollars (METRICS.md). */
export const REPORT_CURRENCY = 'USD';
export const NOT_RECORDED = 'not recorded';

const currencyFormats = new Map<string, Intl.NumberFormat>();
/** 28000, "USD" -> "$280.00" (where a column header names the currency). */
export function formatCurrency(cents: number, currency: string = REPORT_CURRENCY): string {
  let format = currencyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    currencyFormats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** 28000, "USD" -> "$280.00 USD"; the code is printed so no amount is read in the wrong currency. */
export function formatAmount(cents: number, currency: string = REPORT_CURRENCY): string {
  return `${formatCurrency(cents, currency)} ${currency}`;
}

/** Money with the sign spelled out, for changes: "+$80.00 USD". */
export function formatSignedAmount(cents: number, currency: string = REPORT_CURRENCY): string {
  return cents > 0 ? `+${formatAmount(cents, currency)}` : formatAmount(cents, currency);
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();
/** An instant in the account time zone: "Tue, Oct 14, 2025, 06:00 EDT". */
export function formatInstant(instant: Date | number | string, timeZone: string): string {
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    });
    instantFormats.set(timeZone, format);
  }
  return format.format(new Date(instant));
}

/** 604800000 -> "7 days", 3600000 -> "1 hour". */
export function formatDelay(ms: number): string {
  return formatDuration(intervalToDuration({ start: 0, end: ms })) || `${ms} ms`;
}

type Kind = 'pct' | 'scale' | 'usd' | 'usdPerDay' | 'word' | 'text';
const EVIDENCE: Record<string, { label: string; kind: Kind }> = {
  current_roas: { label: 'ROAS yesterday', kind: 'pct' },
  scale_pct: { label: 'Scale by', kind: 'scale' },
  alert_scale_pct: { label: "The alert's step", kind: 'scale' },
  potential_margin_gain: { label: 'Potential margin gain', kind: 'usdPerDay' },
  daily_loss: { label: 'Daily loss', kind: 'usdPerDay' },
  margin_yesterday: { label: 'Margin yesterday', kind: 'usd' },
  optimizer_budget: { label: 'Optimiser budget', kind: 'usdPerDay' },
  priority: { label: 'Priority', kind: 'word' },
  rule_id: { label: 'Rule', kind: 'text' },
  decision: { label: 'Decision', kind: 'text' },
};
/** Shown among the key figures instead, from the carried days when there are any. */
const WINDOW_ROAS = new Set(['roas_3d', 'roas_7d']);

function guessKind(key: string): Kind {
  if (/roas|pct|percent|rate/.test(key)) return 'pct';
  if (/margin|spend|revenue|purchase_value|loss|gain|budget|cpa|cpc|cpm|aov/.test(key)) return 'usd';
  return 'text';
}

const ACRONYMS = /\b(roas|cpa|cpc|cpm|ctr|aov)\b/gi;
/** "roas_last_3_days" -> "ROAS last 3 days". */
const sentenceCase = (key: string) => {
  const words = key
    .replace(/_/g, ' ')
    .trim()
    .replace(ACRONYMS, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const NUMBER = /^-?\d+(\.\d+)?$/;

function evidenceValue(kind: Kind, value: string | number | null): string {
  if (value === null) return 'n/a';
  // A rule's streak is a list of day values, oldest first: "150, 140.5, n/a".
  if (typeof value === 'string' && value.includes(', ')) {
    const parts = value.split(', ');
    if (parts.every((p) => NUMBER.test(p) || p === 'n/a'))
      return parts.map((p) => (p === 'n/a' ? p : evidenceValue(kind, p))).join(', ');
  }
  const n = typeof value === 'number' ? value : NUMBER.test(value.trim()) ? Number(value) : null;
  if (n === null) return kind === 'word' ? sentenceCase(String(value)) : String(value);
  switch (kind) {
    case 'pct':
      return formatPercent(n);
    case 'scale':
      return `+${roundTo(n, 1)}%`;
    case 'usd':
      return formatAmount(Math.round(n * 100));
    case 'usdPerDay':
      return `${formatAmount(Math.round(n * 100))} a day`;
    default:
      return String(value);
  }
}

/** The evidence a proposal carries, labelled and formatted ("Scale by +40%", not "scale pct 40"). */
export function evidenceFacts(evidence: Proposal['evidence']): Fact[] {
  return Object.entries(evidence)
    .filter(([key]) => !WINDOW_ROAS.has(key))
    .map(([key, value]) => {
      const known = EVIDENCE[key];
      return { label: known?.label ?? sentenceCase(key), value: evidenceValue(known?.kind ?? guessKind(key), value) };
    });
}

export interface Headline {
  text: string;
  detail: string | null;
}

/** "Daily budget $200.00 USD → $280.00 USD", with the change per day and in percent. */
export function headline(action: BudgetAction, currency: string, entity: 'campaign' | 'ad set' = 'campaign'): Headline {
  switch (action.kind) {
    case 'set_daily_budget': {
      const delta = action.toCents - action.fromCents;
      const pct =
        action.fromCents > 0 ? ` (${delta >= 0 ? '+' : ''}${((delta / action.fromCents) * 100).toFixed(1)}%)` : '';
      return {
        text: `Daily budget ${formatAmount(action.fromCents, currency)} → ${formatAmount(action.toCents, currency)}`,
        detail: `${formatSignedAmount(delta, currency)} a day${pct}`,
      };
    }
    case 'pause':
      return { text: `Pause the ${entity}`, detail: 'It stops spending until someone resumes it on Meta.' };
    case 'resume':
      return { text: `Resume the ${entity}`, detail: null };
    case 'exclude_placement':
      return {
        text: `Exclude ${placementList(action.placements)}`,
        detail: `The ${entity}'s targeting is written without ${action.placements.length > 1 ? 'these placements' : 'this placement'}; its budget and status stay as they are.`,
      };
    case 'duplicate':
      return {
        text: `Copy the ${entity}, paused`,
        detail: 'The copy spends nothing until someone resumes it, which is a change of its own.',
      };
  }
}

function windowRoas(numbers: ProposalNumbers | null, evidence: Proposal['evidence'], days: 3 | 7): string {
  if (numbers) return formatPercent(days === 3 ? numbers.roas3d : numbers.roas7d);
  const recorded = evidence[`roas_${days}d`];
  return recorded === undefined || recorded === null ? NOT_RECORDED : evidenceValue('pct', recorded);
}

/**
 * When the 7-day outcome check runs: a durable timer of the run's outcome delay, started when the
 * approved change is written (so "about": it depends on the approval moment, and the check then
 * waits for that week's numbers to be loaded). Nothing written, nothing to check.
 */
export function outcomeCheckFact(
  status: BudgetChangeStatus,
  options: { now: Date; timeZone: string; outcomeDelayMs: number },
): Fact {
  const delay = status.outcomeDelayMs ?? options.outcomeDelayMs;
  const rule = `approval time + ${formatDelay(delay)}`;
  const label = 'Outcome check';
  const d = status.decision;
  switch (status.state) {
    case 'proposed':
    case 'awaiting_approval':
      return {
        label,
        value: `about ${formatInstant(addMilliseconds(options.now, delay), options.timeZone)} if approved now`,
        note: `${rule}, once the change is written`,
      };
    case 'approved':
    case 'written':
      return {
        label,
        value: `about ${formatInstant(addMilliseconds(new Date(d?.at ?? options.now), delay), options.timeZone)}`,
        note: `${rule}; it waits for that week's numbers to be loaded`,
      };
    case 'outcome_checked':
      return { label, value: 'done: see scaleflow outcomes' };
    default:
      return { label, value: 'none: nothing was written to Meta, so there is nothing to check' };
  }
}

export interface DayRow {
  day: string;
  spend: string;
  revenue: string;
  margin: string;
  negative: boolean;
  missing: boolean;
}

export interface ApprovalView {
  currency: string;
  /** Who the change is for: the campaign, or "ad set X in campaign Y (retargeting)". */
  subject: string;
  headline: Headline;
  facts: Fact[];
  /** null: the proposal carries no daily numbers (made before they were carried). */
  days: { rows: DayRow[]; total: DayRow; from: string; to: string } | null;
  numbers: ProposalNumbers | null;
  smallPrint: string[];
}

/** The arithmetic behind the estimate, with the numbers, so the approver can redo it. */
function expectedNote(expected: ExpectedMargin | null, currency: string): string {
  if (!expected) return 'the proposal carries no daily numbers';
  if (expected.budgetCents === undefined || expected.roas7d === undefined) return expected.basis;
  return `${formatAmount(expected.budgetCents, currency)} x (7-day ROAS ${formatPercent(expected.roas7d)} - 100%)`;
}

const money = (cents: number | null) => (cents === null ? 'n/a' : formatCurrency(cents));

/** Everything the approval page shows about a proposal, worded. */
export function approvalView(
  status: BudgetChangeStatus,
  options: { now: Date; timeZone: string; outcomeDelayMs: number },
): ApprovalView {
  const { proposal } = status;
  const currency = proposal.currency ?? REPORT_CURRENCY;
  const numbers = proposalNumbers(proposal);
  // A pause needs no numbers (0 a day); a new budget needs the 7-day ROAS the proposal carries.
  const expected =
    numbers || proposal.action.kind !== 'set_daily_budget'
      ? expectedMarginPerDay(proposal.action, numbers?.roas7d ?? null)
      : null;
  const expectedValue = !expected
    ? NOT_RECORDED
    : expected.cents === null
      ? 'not estimated'
      : `${formatAmount(expected.cents, currency)} a day`;
  const facts: Fact[] = [
    ...evidenceFacts(proposal.evidence),
    { label: 'ROAS, last 3 days', value: windowRoas(numbers, proposal.evidence, 3) },
    { label: 'ROAS, last 7 days', value: windowRoas(numbers, proposal.evidence, 7) },
    {
      label: 'Margin per day, last 7 days',
      value: numbers ? `${formatAmount(numbers.marginPerDay7dCents)} a day` : NOT_RECORDED,
    },
    { label: 'Expected margin per day after the change', value: expectedValue, note: expectedNote(expected, currency) },
    outcomeCheckFact(status, options),
  ];
  const row = (day: string, spend: number | null, revenue: number | null, missing = false): DayRow => {
    const margin = spend === null || revenue === null ? null : revenue - spend;
    return {
      day,
      spend: money(spend),
      revenue: money(revenue),
      margin: money(margin),
      negative: margin !== null && margin < 0,
      missing,
    };
  };
  const days = numbers
    ? {
        rows: numbers.days.map((d) =>
          row(formatDay(d.date, true), d.spendCents, d.revenueCents, d.spendCents === null),
        ),
        total: row(`${numbers.days.length} days`, numbers.totals.spendCents, numbers.totals.revenueCents),
        from: formatDay(numbers.days[0]!.date, true),
        to: formatDay(numbers.days.at(-1)!.date, true),
      }
    : null;
  const smallPrint = [
    `The numbers are the warehouse's as of ${formatDay(proposal.date)}, when the proposal was made, for the days ending the day before. ROAS = revenue / spend x 100 over those days.`,
    "Expected margin per day after the change = the new daily budget, fully spent, at the last 7 days' ROAS: budget x (7-day ROAS - 100%). Scaling usually lowers ROAS (diminishing returns), so for a raise it is an upper estimate; a pause makes 0 a day.",
    `Strateg.is money (spend, revenue, margin, ROAS) is in ${REPORT_CURRENCY}; budgets are in the ad account's currency (${currency}). Times are in ${options.timeZone}.`,
  ];
  if (proposal.adset) smallPrint.unshift("The numbers and the budget are the ad set's, not its campaign's.");
  return {
    currency,
    subject: subjectOf(proposal),
    headline: headline(proposal.action, currency, entityWord(proposal)),
    facts,
    days,
    numbers,
    smallPrint,
  };
}
