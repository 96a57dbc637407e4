/** The figures of one backtest run, from the market's final numbers (cents). */

/** The largest fall of cumulative margin from its running peak (cents, >= 0). */
export function worstDrawdown(dailyMarginCents: readonly number[]): number {
  let cumulative = 0;
  let peak = 0;
  let worst = 0;
  for (const m of dailyMarginCents) {
    cumulative += m;
    peak = Math.max(peak, cumulative);
    worst = Math.max(worst, peak - cumulative);
  }
  return worst;
}

export interface AccuracyRow {
  rule: string;
  checked: number;
  right: number;
  accuracy: number | null;
}

/** Relative difference of a over b, percent (one decimal); null when b is not positive. */
export function upliftPct(a: number, b: number): number | null {
  return b > 0 ? Math.round(((a - b) / b) * 1000) / 10 : null;
}

/** right / checked by rule, plus `all`, in the accuracy query's shape. */
export function accuracyByRule(checks: readonly { rule: string; right: boolean }[]): AccuracyRow[] {
  const rules = ['all', ...[...new Set(checks.map((c) => c.rule))].sort()];
  return rules.map((rule) => {
    const mine = rule === 'all' ? checks : checks.filter((c) => c.rule === rule);
    const right = mine.filter((c) => c.right).length;
    return {
      rule,
      checked: mine.length,
      right,
      accuracy: mine.length ? Math.round((right / mine.length) * 1000) / 1000 : null,
    };
  });
}
