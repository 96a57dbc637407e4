import { addDays, datesBetween, yesterdayOf } from '../dates';
import { roasPct } from '../decisions/series';
import { roundCents, type Cents } from '../money';
import type { BudgetAction, Proposal, ProposalDay } from './proposal';

/** Days of numbers a proposal carries for its approval page (chart and table). */
export const PROPOSAL_FIGURE_DAYS = 14;

export interface FigureDay {
  date: string;
  /** null: no row for the campaign that day. */
  spendCents: Cents | null;
  revenueCents: Cents | null;
  marginCents: Cents | null;
}

export interface ProposalNumbers {
  /** Every calendar day of the window, oldest first, missing ones as nulls. */
  days: FigureDay[];
  totals: { spendCents: Cents; revenueCents: Cents; marginCents: Cents };
  /** METRICS.md roas over the 3 and 7 days ending yesterday: percent, one decimal, null without spend. */
  roas3d: number | null;
  roas7d: number | null;
  /** Margin over the 7 days ending yesterday divided by 7 (days without a row count as 0). */
  marginPerDay7dCents: Cents;
}

function sumWindow(days: readonly ProposalDay[], yesterday: string, length: number): { spend: Cents; revenue: Cents } {
  const start = addDays(yesterday, -(length - 1));
  const inside = days.filter((d) => d.date >= start && d.date <= yesterday);
  return {
    spend: inside.reduce((s, d) => s + d.spendCents, 0),
    revenue: inside.reduce((s, d) => s + d.revenueCents, 0),
  };
}

/** The numbers behind a proposal, from the days it carries; null when it carries none (older runs). */
export function proposalNumbers(proposal: Pick<Proposal, 'date' | 'figures'>): ProposalNumbers | null {
  const figures = proposal.figures;
  if (!figures) return null;
  const yesterday = yesterdayOf(proposal.date);
  const byDate = new Map(figures.days.map((d) => [d.date, d]));
  const days = datesBetween(addDays(yesterday, -(figures.windowDays - 1)), yesterday).map((date): FigureDay => {
    const d = byDate.get(date);
    return d
      ? { date, spendCents: d.spendCents, revenueCents: d.revenueCents, marginCents: d.revenueCents - d.spendCents }
      : { date, spendCents: null, revenueCents: null, marginCents: null };
  });
  const all = sumWindow(figures.days, yesterday, figures.windowDays);
  const last3 = sumWindow(figures.days, yesterday, 3);
  const last7 = sumWindow(figures.days, yesterday, 7);
  return {
    days,
    totals: { spendCents: all.spend, revenueCents: all.revenue, marginCents: all.revenue - all.spend },
    roas3d: roasPct(last3.revenue, last3.spend),
    roas7d: roasPct(last7.revenue, last7.spend),
    marginPerDay7dCents: roundCents((last7.revenue - last7.spend) / 7),
  };
}

export interface ExpectedMargin {
  /** null: not estimated (basis says why). */
  cents: Cents | null;
  basis: string;
  /** The budget and the ROAS the estimate multiplies, when it does. */
  budgetCents?: Cents;
  roas7d?: number;
}

/**
 * Expected margin per day after the change. scaleflow's definition (docs/approvals.md): the new
 * daily budget, fully spent, earning the 7-day ROAS as shown (one decimal), so
 * margin = budget x (roas_7d - 100) / 100 (METRICS.md: margin = revenue - spend, roas = revenue /
 * spend x 100). Scaling usually lowers ROAS (diminishing returns), so for a raise it is an upper
 * estimate. A pause spends and earns nothing: 0 a day.
 */
export function expectedMarginPerDay(action: BudgetAction, roas7d: number | null): ExpectedMargin {
  switch (action.kind) {
    case 'pause':
      return { cents: 0, basis: 'paused: no spend and no revenue' };
    case 'resume':
      return { cents: null, basis: 'not estimated for a resume (no budget in the proposal)' };
    case 'duplicate':
      return { cents: null, basis: 'not estimated for a copy: it is created paused and spends nothing until resumed' };
    case 'exclude_placement':
      return { cents: null, basis: 'not estimated for a placement left out: the budget moves to the other placements' };
    case 'set_daily_budget':
      if (roas7d === null) return { cents: null, basis: 'no spend in the last 7 days, so no ROAS to apply' };
      return {
        cents: roundCents((action.toCents * (roas7d - 100)) / 100),
        basis: `new daily budget x (7-day ROAS ${roas7d.toFixed(1)}% - 100%)`,
        budgetCents: action.toCents,
        roas7d,
      };
  }
}
