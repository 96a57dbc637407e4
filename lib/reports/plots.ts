import * as Plot from '@observablehq/plot';
import type { CellRow } from './arrow';
import type { ChartSpec } from './charts';
import { dollars, formatMoney } from './format';

/** Chart shapes several cells share. Each returns Plot options for lib/reports/charts.ts. */

/** A campaign name short enough for an axis on a phone; duplicates after cutting stay apart. */
export function shortLabels(names: string[], max = 18): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const cut = name.length > max ? `${name.slice(0, max - 1)}…` : name;
    const n = (seen.get(cut) ?? 0) + 1;
    seen.set(cut, n);
    return n === 1 ? cut : `${cut} (${n})`;
  });
}

/** One horizontal bar per row, in row order, labelled with its money value. */
export function moneyBars(
  rows: CellRow[],
  options: { label: string; value: string; fill: string; alt: string },
): ChartSpec | null {
  if (rows.length === 0) return null;
  const labels = shortLabels(rows.map((r) => String(r[options.label] ?? '')));
  const bars = rows.map((r, i) => ({
    label: labels[i]!,
    value: dollars(r[options.value]) ?? 0,
    text: formatMoney(r[options.value], { whole: Math.abs(dollars(r[options.value]) ?? 0) >= 1000 }),
  }));
  return {
    alt: options.alt,
    plot: {
      height: 40 + bars.length * 24,
      marginLeft: 150,
      marginRight: 12,
      // Insets leave room for the value printed past the end of the longest bar, either side of 0.
      x: {
        label: null,
        grid: true,
        tickFormat: (d: number) => formatMoney(d, { whole: true }),
        ticks: 4,
        insetLeft: 60,
        insetRight: 60,
      },
      y: { label: null, domain: labels },
      marks: [
        Plot.barX(bars, { y: 'label', x: 'value', fill: options.fill }),
        Plot.ruleX([0], { stroke: '#6b7280' }),
        Plot.text(
          bars.filter((b) => b.value >= 0),
          { y: 'label', x: 'value', text: 'text', textAnchor: 'start', dx: 4, fill: '#111827' },
        ),
        Plot.text(
          bars.filter((b) => b.value < 0),
          { y: 'label', x: 'value', text: 'text', textAnchor: 'end', dx: -4, fill: '#111827' },
        ),
      ],
    },
  };
}
