import * as Plot from '@observablehq/plot';
import { addDays } from '../../../lib/dates';
import { centsToString, toCents } from '../../../lib/money';
import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { PALETTE } from '../../../lib/reports/charts';
import { dollars, formatMoney } from '../../../lib/reports/format';

/** Totals per owner in exact cents: the 30 days, and the last 7 against the 7 before them. */
export function facts({ rows }: CellData, scope: ReportScope) {
  const lastWeekStart = addDays(scope.yesterday, -6);
  const priorWeekStart = addDays(scope.yesterday, -13);
  const owners = new Map<string, { total: number; last7: number; prior7: number }>();
  for (const row of rows) {
    const owner = String(row.owner);
    const margin = toCents(String(row.margin));
    const date = String(row.date);
    const o = owners.get(owner) ?? { total: 0, last7: 0, prior7: 0 };
    o.total += margin;
    if (date >= lastWeekStart) o.last7 += margin;
    else if (date >= priorWeekStart) o.prior7 += margin;
    owners.set(owner, o);
  }
  const list = [...owners.entries()]
    .map(([owner, o]) => ({
      owner,
      total: centsToString(o.total),
      last7: centsToString(o.last7),
      prior7: centsToString(o.prior7),
      rising: o.last7 > o.prior7,
      cents: o.total,
    }))
    .sort((a, b) => b.cents - a.cents || (a.owner < b.owner ? -1 : 1));
  const sum = (key: 'total' | 'last7' | 'prior7') => centsToString(list.reduce((s, o) => s + toCents(o[key]), 0));
  return {
    owners: list,
    best: list[0] ?? null,
    worst: list.length > 1 ? list.at(-1)! : null,
    total: sum('total'),
    last7: sum('last7'),
    prior7: sum('prior7'),
    rising: toCents(sum('last7')) > toCents(sum('prior7')),
  };
}

export function chart({ rows }: CellData, scope: ReportScope) {
  if (rows.length === 0) return null;
  const points = rows.map((r) => ({
    date: new Date(`${String(r.date)}T00:00:00Z`),
    owner: String(r.owner),
    margin: dollars(r.margin),
  }));
  const owners = [...new Set(points.map((p) => p.owner))].sort();
  return {
    alt: `Daily margin per owner from ${String(rows[0]!.date)} to ${scope.yesterday}`,
    plot: {
      marginLeft: 56,
      x: { type: 'utc' as const, label: null, ticks: 5 },
      y: { label: 'Margin per day', grid: true, tickFormat: (d: number) => formatMoney(d, { whole: true }) },
      color: { type: 'categorical' as const, domain: owners, range: PALETTE },
      marks: [
        Plot.ruleY([0], { stroke: '#9ca3af' }),
        Plot.lineY(points, { x: 'date', y: 'margin', stroke: 'owner', strokeWidth: 2 }),
        Plot.dot(
          points.filter((p) => p.date.getTime() === Date.parse(`${scope.yesterday}T00:00:00Z`)),
          { x: 'date', y: 'margin', fill: 'owner', r: 3 },
        ),
      ],
    },
  };
}
