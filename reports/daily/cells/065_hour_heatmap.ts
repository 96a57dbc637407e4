import * as Plot from '@observablehq/plot';
import { toCents } from '../../../lib/money';
import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { dollars, formatMoney } from '../../../lib/reports/format';

/**
 * Hours that lost money (purchase value under spend) on 10 or more of the days shown, as the
 * default dayparting rule reads them.
 */
export function facts({ rows }: CellData) {
  const lost = new Map<number, number>();
  for (const r of rows) {
    if (toCents(String(r.margin)) < 0) lost.set(Number(r.hour), (lost.get(Number(r.hour)) ?? 0) + 1);
  }
  const losing = [...lost.entries()]
    .filter(([, days]) => days >= 10)
    .sort(([a], [b]) => a - b)
    .map(([hour, days]) => ({ hour: `${String(hour).padStart(2, '0')}:00`, days }));
  return { losing, days: new Set(rows.map((r) => String(r.day))).size };
}

export function chart({ rows }: CellData, scope: ReportScope) {
  if (rows.length === 0) return null;
  const cells = rows.map((r) => ({
    day: String(r.day).slice(5),
    hour: Number(r.hour),
    margin: dollars(r.margin) ?? 0,
  }));
  const days = [...new Set(cells.map((c) => c.day))].sort();
  const extent = Math.max(1, ...cells.map((c) => Math.abs(c.margin)));
  return {
    alt: `Margin (Meta purchase value - spend) by hour of day and day, to ${scope.yesterday}: red lost money, green made it`,
    plot: {
      height: 60 + days.length * 18,
      marginLeft: 48,
      x: { label: 'Hour of day', domain: Array.from({ length: 24 }, (_, h) => h), tickFormat: (h: number) => `${h}` },
      y: { label: null, domain: days },
      color: { type: 'diverging' as const, scheme: 'RdYlGn', domain: [-extent, extent], pivot: 0 },
      marks: [
        Plot.cell(cells, {
          x: 'hour',
          y: 'day',
          fill: 'margin',
          inset: 0.5,
          title: (c: (typeof cells)[number]) => `${c.day} ${c.hour}:00 ${formatMoney(c.margin)}`,
        }),
      ],
    },
  };
}
