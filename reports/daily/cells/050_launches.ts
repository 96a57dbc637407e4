import * as Plot from '@observablehq/plot';
import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { shortLabels } from '../../../lib/reports/plots';

export function facts({ rows }: CellData) {
  const mature = rows.filter((r) => r.mature);
  return {
    mature: mature.length,
    brokeEven: rows.filter((r) => r.verdict === 'broke even').length,
    maturing: rows.length - mature.length,
  };
}

/** ROAS over the first 72 hours of each mature launch, against the 100% break-even line. */
export function chart({ rows }: CellData, scope: ReportScope) {
  const mature = rows.filter((r) => r.mature && r.roas_72h !== null);
  if (mature.length === 0) return null;
  const labels = shortLabels(mature.map((r) => String(r.campaign_name)));
  const bars = mature.map((r, i) => ({
    label: labels[i]!,
    roas: Number(r.roas_72h),
    ok: r.verdict === 'broke even' ? 'broke even' : 'below break-even',
  }));
  return {
    alt: `ROAS over the first 72 hours of the launches up to ${scope.yesterday}, against break-even at 100%`,
    plot: {
      height: 40 + bars.length * 24,
      marginLeft: 150,
      marginRight: 12,
      x: { label: null, grid: true, tickFormat: (d: number) => `${d}%`, ticks: 4, insetRight: 48 },
      y: { label: null, domain: labels },
      color: {
        type: 'categorical' as const,
        domain: ['broke even', 'below break-even'],
        range: ['#16a34a', '#dc2626'],
      },
      marks: [
        Plot.barX(bars, { y: 'label', x: 'roas', fill: 'ok' }),
        Plot.ruleX([100], { stroke: '#111827', strokeDasharray: '4,3' }),
        Plot.text(bars, {
          y: 'label',
          x: 'roas',
          text: (d: { roas: number }) => `${d.roas.toFixed(1)}%`,
          textAnchor: 'start',
          dx: 4,
          fill: '#111827',
        }),
      ],
    },
  };
}
