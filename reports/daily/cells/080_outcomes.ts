import * as Plot from '@observablehq/plot';
import type { CellData, ReportScope } from '../../../lib/reports/cell';

/** Accuracy per rule against the 80% target. */
export function chart({ rows }: CellData, scope: ReportScope) {
  const rules = rows.filter((r) => r.rule !== 'all');
  if (rules.length === 0) return null;
  const bars = rules.map((r) => ({
    rule: String(r.rule),
    accuracy: Number(r.accuracy_pct),
    label: `${Number(r.accuracy_pct).toFixed(1)}% of ${String(r.checked)}`,
  }));
  return {
    alt: `Recommendation accuracy by rule up to ${scope.yesterday}, against the 80% target`,
    plot: {
      height: 40 + bars.length * 28,
      marginLeft: 80,
      x: { domain: [0, 100], label: null, grid: true, tickFormat: (d: number) => `${d}%`, ticks: 5 },
      y: { label: null, domain: bars.map((b) => b.rule) },
      marks: [
        Plot.barX(bars, {
          y: 'rule',
          x: 'accuracy',
          fill: (d: { accuracy: number }) => (d.accuracy >= 80 ? '#16a34a' : '#d97706'),
        }),
        Plot.ruleX([80], { stroke: '#111827', strokeDasharray: '4,3' }),
        // The label sits inside a long bar and just past a short one.
        Plot.text(
          bars.filter((b) => b.accuracy >= 40),
          { y: 'rule', x: 'accuracy', text: 'label', textAnchor: 'end', dx: -4, fill: 'white' },
        ),
        Plot.text(
          bars.filter((b) => b.accuracy < 40),
          { y: 'rule', x: 'accuracy', text: 'label', textAnchor: 'start', dx: 4, fill: '#111827' },
        ),
      ],
    },
  };
}
