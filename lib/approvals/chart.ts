import * as Plot from '@observablehq/plot';
import type { ChartSpec } from '../reports/charts';
import { PALETTE } from '../reports/charts';
import { formatDay, formatMoney } from '../reports/format';
import type { ProposalNumbers } from './figures';

const SERIES = ['Spend', 'Revenue', 'Margin'] as const;
// One line per tick ("Oct 3"): Plot's default two-line ticks ("3" over "Oct") need more height.
const TICK = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * The proposal's days as one small line chart (spend, revenue, margin a day), drawn by the report
 * charts' renderer (lib/reports/charts.ts). Narrower than a report chart: it is read on a phone.
 */
export function proposalChart(numbers: ProposalNumbers): ChartSpec | null {
  const present = numbers.days.filter((d) => d.spendCents !== null && d.revenueCents !== null);
  if (present.length === 0) return null;
  const points = present.flatMap((d) => {
    const date = new Date(`${d.date}T00:00:00Z`);
    return [
      { date, series: 'Spend', value: d.spendCents! / 100 },
      { date, series: 'Revenue', value: d.revenueCents! / 100 },
      { date, series: 'Margin', value: d.marginCents! / 100 },
    ];
  });
  return {
    alt: `Spend, revenue and margin a day in USD, ${formatDay(numbers.days[0]!.date, true)} to ${formatDay(numbers.days.at(-1)!.date, true)}`,
    plot: {
      width: 360,
      height: 200,
      marginLeft: 52,
      marginRight: 12,
      x: { type: 'utc', label: null, ticks: 4, tickFormat: (d: Date) => TICK.format(d) },
      y: { label: null, grid: true, ticks: 5, tickFormat: (d: number) => formatMoney(d, { whole: true }) },
      color: { type: 'categorical', domain: [...SERIES], range: [PALETTE[0]!, PALETTE[2]!, PALETTE[1]!] },
      marks: [
        Plot.ruleY([0], { stroke: '#9ca3af' }),
        Plot.lineY(points, { x: 'date', y: 'value', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'date', y: 'value', fill: 'series', r: 2.5 }),
      ],
    },
  };
}
