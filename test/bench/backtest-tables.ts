// The backtest bench's tables: pooled accuracy, percentages, and issue 20's goals line.
import type { BacktestResult } from '../../services/backtest/run';

type AccuracyKey = 'accuracy' | 'accuracy_by_direction' | 'accuracy_reconciled';

/** right / checked over the runs, pooled; rate null when nothing was checked. */
export function accuracyOf(
  runs: readonly BacktestResult[],
  rule: string,
  key: AccuracyKey = 'accuracy',
): { text: string; rate: number | null } {
  let right = 0;
  let checked = 0;
  for (const r of runs) {
    const row = r[key].find((a) => a.rule === rule);
    right += row?.right ?? 0;
    checked += row?.checked ?? 0;
  }
  if (checked === 0) return { text: 'n/a', rate: null };
  return { text: `${((right / checked) * 100).toFixed(1)}% (${right}/${checked})`, rate: right / checked };
}

export const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);

export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export interface Pooled {
  accuracy: number | null;
  raises: number | null;
  vsNone: number | null;
  vsStreak: number | null;
}

/** Issue 20's four goals for one market, each met or missed, in one line. */
export function goalsLine(p: Pooled): string {
  const goal = (name: string, value: number | null, min: number, shown: string) =>
    `${name} ${shown} (goal >= ${min}%: ${value !== null && value >= min ? 'met' : '**missed**'})`;
  const rate = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  return `Goals: ${[
    goal('accuracy', p.accuracy === null ? null : p.accuracy * 100, 80, rate(p.accuracy)),
    goal('raises', p.raises === null ? null : p.raises * 100, 70, rate(p.raises)),
    goal('margin vs none', p.vsNone, 15, pct(p.vsNone)),
    goal('margin vs streak', p.vsStreak, 5, pct(p.vsStreak)),
  ].join('; ')}.`;
}
