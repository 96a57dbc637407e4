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

/** A run's name on the page: the policy, and where scaleflow decided when the market has ad sets. */
export function runLabel(r: Pick<BacktestResult, 'policy' | 'level' | 'adset_markets'>): string {
  return r.adset_markets && r.policy === 'scaleflow' ? `scaleflow (${r.level})` : r.policy;
}

/** The grey of the other policies' lines, drawn under the policy's own. */
const OTHERS = '#9ca3af';

/**
 * Cumulative margin of the policy over the period, its own line drawn over every other policy's
 * (thin, grey) for comparison. Each line is a mark of its own with a fixed stroke, described
 * `line <policy>` (aria-description): a color scale over a single series would leave a lone line unstroked.
 */
/** Each accuracy definition's agreement with the truth: `n/a` where the market could not replay a change. */
export function agreementText(r: BacktestResult): { was_right: string; right_vs_control: string } {
  const text = (f: { compared: number; rate: number | null } | undefined) =>
    !f || f.rate === null ? 'n/a' : `${(f.rate * 100).toFixed(1)}% of ${f.compared}`;
  return { was_right: text(r.agreement?.was_right), right_vs_control: text(r.agreement?.right_vs_control) };
}

function policyChart(r: BacktestResult, all: readonly BacktestResult[]) {
  const line = (x: BacktestResult) =>
    x.daily.map((d) => ({ date: new Date(`${d.date}T00:00:00Z`), margin: toCents(d.cumulative) / 100 }));
  const others = all.filter((x) => x !== r);
  const mark = (x: BacktestResult, own: boolean) =>
    Plot.lineY(line(x), {
      x: 'date',
      y: 'margin',
      stroke: own ? PALETTE[0]! : OTHERS,
      strokeWidth: own ? 2.5 : 1.25,
      ariaDescription: `line ${runLabel(x)}`,
    });
  const chart = renderChart({
    alt: `Cumulative margin of ${runLabel(r)}${others.length ? ` against ${others.map(runLabel).join(', ')}` : ''} from ${r.start} to ${r.end}`,
    plot: {
      marginLeft: 64,
      x: { type: 'utc', label: null, ticks: 5 },
      y: { label: 'Cumulative margin', grid: true, tickFormat: (d: number) => formatMoney(d, { whole: true }) },
      marks: [Plot.ruleY([0], { stroke: OTHERS }), ...others.map((x) => mark(x, false)), mark(r, true)],
    },
  });
  const legend = [
    { label: runLabel(r), color: PALETTE[0]! },
    ...others.map((x) => ({ label: runLabel(x), color: OTHERS })),
  ];
  return { ...chart, legend };
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
      policy: runLabel(r),
      id: runLabel(r).replace(/\W+/g, '-').replace(/-$/, ''),
      margin: r.margin,
      worst_drawdown: r.worst_drawdown,
      vsNone: uplift === null ? 'n/a' : `${uplift >= 0 ? '+' : ''}${uplift.toFixed(1)}%`,
      changes: r.budget_changes.total,
      accuracy: acc.text,
      checked: acc.checked,
      agreement: agreementText(r),
      margin_counted: r.margin_counted,
      chart: policyChart(r, results),
    };
  });
  const css = readFileSync(join(reportsDir, 'daily', 'style.css'), 'utf8');
  return template({ ...first, css, policies, levels: levelsSideBySide(results) });
}

/**
 * scaleflow at `campaign` and at `auto` on the same ad-set market, side by side: margin, auto's
 * difference, changes (of them on ad sets) and accuracy, as the production check and on the
 * reconciled numbers. Null unless both ran.
 */
export function levelsSideBySide(results: readonly BacktestResult[]) {
  const at = (level: BacktestResult['level']) =>
    results.find((r) => r.policy === 'scaleflow' && r.adset_markets && r.level === level);
  const campaign = at('campaign');
  const auto = at('auto');
  if (!campaign || !auto) return null;
  const reconciled = (r: BacktestResult) => accuracyText({ ...r, accuracy: r.accuracy_reconciled }).text;
  const uplift = upliftPct(toCents(auto.margin), toCents(campaign.margin));
  return {
    auto_vs_campaign: uplift === null ? 'n/a' : `${uplift >= 0 ? '+' : ''}${uplift.toFixed(1)}%`,
    rows: [campaign, auto].map((r) => ({
      level: r.level,
      margin: r.margin,
      changes: r.budget_changes.total,
      adset_changes: r.budget_changes.adset,
      accuracy: accuracyText(r).text,
      checked: accuracyText(r).checked,
      reconciled: reconciled(r),
    })),
  };
}
