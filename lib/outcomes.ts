import { roundTo } from './money';
import type { BudgetAction, Proposal } from './approvals/proposal';

/** Sums over one 7-day window (change day excluded), in cents. */
/**
 * How long past its 7 days an outcome check waits for strateg.is to reconcile the week's revenue
 * (rows marked is_reconciled false) before judging on what it has: a source that never marks
 * them reconciled still gets its checks.
 */
export const RECONCILE_WAIT_DAYS = 7;

export interface WindowTotals {
  spendCents: number;
  revenueCents: number;
  days: number;
}

export interface WindowMetrics {
  spend: number;
  revenue: number;
  margin: number;
  roas: number | null;
  margin_per_day: number;
}

export interface OutcomeResult {
  baseline: WindowMetrics;
  outcome: WindowMetrics;
  deltas: { spend: number; revenue: number; margin: number; roas: number | null };
  is_improving: boolean;
  /** What accuracy is grouped "by rule" under: the change's own type, or `rule:<id>` for a buyer's rule. */
  rule: string;
  /** How the change was judged: a raise had to lift the margin per day, a cut had to stop the loss. */
  judged_as: Direction;
  was_right: boolean;
}

function metrics(w: WindowTotals): WindowMetrics {
  const marginCents = w.revenueCents - w.spendCents;
  return {
    spend: w.spendCents / 100,
    revenue: w.revenueCents / 100,
    margin: marginCents / 100,
    roas: w.spendCents === 0 ? null : roundTo((w.revenueCents / w.spendCents) * 100, 1),
    // Per day over the whole window, so a paused campaign's idle days count as zero margin.
    margin_per_day: w.days === 0 ? 0 : marginCents / 100 / w.days,
  };
}

/**
 * A raise (a higher budget, a resume) is judged as a scale-up; anything else (a cut, a pause) as a
 * loss-stopper. A paused copy (`duplicate`) is never checked: it moves no spend, so budgetChange
 * ends at the write.
 */
export type Direction = 'raise' | 'cut';

/** Which way a change moves the spend (campaign or ad set): this, not the change's type, decides how it is judged. */
export function directionOf(action: BudgetAction): Direction {
  if (action.kind === 'resume') return 'raise';
  return action.kind === 'set_daily_budget' && action.toCents > action.fromCents ? 'raise' : 'cut';
}

/** The change an outcome check judges: its type, its action, and the evidence naming its rule. */
export type CheckedChange = Pick<Proposal, 'type' | 'action'> & Partial<Pick<Proposal, 'evidence'>>;

/** A change's "by rule" key: an alert's type or `manual` as they are, a buyer's rule by its id (evidence.rule_id). */
export function accuracyKeyOf(change: CheckedChange): string {
  const id = change.evidence?.rule_id;
  // Rule ids have no colon and alert types no colon either, so the two never collide.
  return change.type === 'rule' && typeof id === 'string' ? `rule:${id}` : change.type;
}

/** METRICS.md "Outcome checks": deltas, is_improving, and whether the recommendation was right. */
export function evaluateOutcome(change: CheckedChange, before: WindowTotals, after: WindowTotals): OutcomeResult {
  const baseline = metrics(before);
  const outcome = metrics(after);
  const marginDeltaCents = after.revenueCents - after.spendCents - (before.revenueCents - before.spendCents);
  const deltas = {
    spend: (after.spendCents - before.spendCents) / 100,
    revenue: (after.revenueCents - before.revenueCents) / 100,
    margin: marginDeltaCents / 100,
    roas: baseline.roas === null || outcome.roas === null ? null : roundTo(outcome.roas - baseline.roas, 1),
  };
  const isImproving = deltas.margin > 0 || (deltas.revenue > 0 && deltas.roas !== null && deltas.roas >= 0);
  const direction = directionOf(change.action);
  const wasRight =
    direction === 'raise'
      ? outcome.margin_per_day > baseline.margin_per_day
      : outcome.margin_per_day >= baseline.margin_per_day;
  return {
    baseline,
    outcome,
    deltas,
    is_improving: isImproving,
    rule: accuracyKeyOf(change),
    judged_as: direction,
    was_right: wasRight,
  };
}
