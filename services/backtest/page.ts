import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Plot from '@observablehq/plot';
import { upliftPct } from '../../lib/backtest/results';
import { toCents } from '../../lib/money';
import { PALETTE, renderChart } from '../../lib/reports/charts';
import { formatMoney } from '../../lib/reports/format';
import { handlebars } from '../../lib/reports/templating';
import { reportsDir, rootDir } from '../paths';
import type { BacktestResult } from './run';

const template = handlebars.compile(readFileSync(join(rootDir, 'services/backtest/templates/page.hbs'), 'utf8'));

function accuracyText(r: BacktestResult): { text: string; checked: number } {
  const all = r.accuracy.find((a) => a.rule === 'all');
  if (!all || all.checked === 0 || all.accuracy === null) return { text: 'n/a', checked: 0 };
  return { text: `${(all.accuracy * 100).toFixed(1)}%`, checked: all.checked };
}

/** Cumulative margin of the policy over the period, with `none` beside it for reference. */
function policyChart(r: BacktestResult, none: BacktestResult | undefined) {
  const line = (x: BacktestResult) =>
    x.daily.map((d) => ({
      date: new Date(`${d.date}T00:00:00Z`),
      policy: x.policy,
      margin: toCents(d.cumulative) / 100,
    }));
  const points = [...line(r), ...(none && none !== r ? line(none) : [])];
  const domain = [...new Set(points.map((p) => p.policy))];
  return renderChart({
    alt: `Cumulative margin of ${r.policy}${none && none !== r ? ' and none' : ''} from ${r.start} to ${r.end}`,
    plot: {
      marginLeft: 64,
      x: { type: 'utc', label: null, ticks: 5 },
      y: { label: 'Cumulative margin', grid: true, tickFormat: (d: number) => formatMoney(d, { whole: true }) },
      color: {
        type: 'categorical',
        domain,
        range: domain.map((p) => (p === 'none' && r.policy !== 'none' ? '#9ca3af' : PALETTE[0]!)),
      },
      marks: [
        Plot.ruleY([0], { stroke: '#9ca3af' }),
        Plot.lineY(points, { x: 'date', y: 'margin', stroke: 'policy', strokeWidth: 2 }),
      ],
    },
  });
}

/** The backtest's page: a summary table and a chart per policy, standalone (inline SVG, no scripts). */
export function renderBacktestPage(results: BacktestResult[]): string {
  if (results.length === 0) throw new RangeError('nothing to render: no policy was run');
  const none = results.find((r) => r.policy === 'none');
  const first = results[0]!;
  const policies = results.map((r) => {
    const uplift = none ? upliftPct(toCents(r.margin), toCents(none.margin)) : null;
    const acc = accuracyText(r);
    return {
      policy: r.policy,
      margin: r.margin,
      worst_drawdown: r.worst_drawdown,
      vsNone: uplift === null ? 'n/a' : `${uplift >= 0 ? '+' : ''}${uplift.toFixed(1)}%`,
      changes: r.budget_changes.total,
      accuracy: acc.text,
      checked: acc.checked,
      chart: policyChart(r, none),
    };
  });
  const css = readFileSync(join(reportsDir, 'daily', 'style.css'), 'utf8');
  return template({ ...first, css, policies });
}
