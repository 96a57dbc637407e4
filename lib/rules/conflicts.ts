import type { BudgetAction } from '../approvals/proposal';

/**
 * The conflict policy: on one campaign in one evaluation at most one Meta change runs, and the
 * safer one wins. Pause is safest, then a budget cut (the deeper cut first), then a resume, then a
 * raise (the smaller raise first). Ties go to the rule id that sorts first. The losers are kept
 * in the history as `overruled`, naming the winner, so both are reported.
 */
export function riskOf(change: BudgetAction): [number, number] {
  switch (change.kind) {
    case 'pause':
      return [0, 0];
    case 'set_daily_budget':
      return change.toCents < change.fromCents ? [1, change.toCents] : [3, change.toCents];
    case 'resume':
      return [2, 0];
    case 'duplicate':
    case 'exclude_placement':
      // A paused copy spends nothing, a placement left out moves no budget: neither outranks one that does.
      return [4, 0];
  }
}

export function saferFirst(
  a: { ruleId: string; change: BudgetAction },
  b: { ruleId: string; change: BudgetAction },
): number {
  const [ra, va] = riskOf(a.change);
  const [rb, vb] = riskOf(b.change);
  if (ra !== rb) return ra - rb;
  if (va !== vb) return va - vb;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
