import { roundTo } from './money';
import type { BudgetAction, ChangeType } from './approvals/proposal';

/** Sums over one 7-day window (change day excluded), in cents. */
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
  /** Which rule the change is judged by. */
  rule: 'scale_up' | 'cut_loss';
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

/** A budget increase is judged as a scale-up; a pause or a cut as a loss-stopper. */
export function ruleFor(type: ChangeType, action: BudgetAction): 'scale_up' | 'cut_loss' {
  if (type === 'scale_up' || type === 'cut_loss') return type;
  if (action.kind === 'set_daily_budget' && action.toCents > action.fromCents) return 'scale_up';
  if (action.kind === 'resume') return 'scale_up';
  return 'cut_loss';
}

/** METRICS.md "Outcome checks": deltas, is_improving, and whether the recommendation was right. */
export function evaluateOutcome(type: ChangeType, action: BudgetAction, before: WindowTotals, after: WindowTotals): OutcomeResult {
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
  const rule = ruleFor(type, action);
  const wasRight = rule === 'scale_up' ? outcome.margin_per_day > baseline.margin_per_day : outcome.margin_per_day >= baseline.margin_per_day;
  return { baseline, outcome, deltas, is_improving: isImproving, rule, was_right: wasRight };
}
