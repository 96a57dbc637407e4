import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../lib/reports/charts';
import { renderBacktestPage } from '../../services/backtest/page';
import type { BacktestResult } from '../../services/backtest/run';

function result(policy: BacktestResult['policy'], margins: number[], market = 'built-in'): BacktestResult {
  let cumulative = 0;
  const daily = margins.map((m, i) => ({
    date: `2025-06-0${i + 2}`,
    margin: m.toFixed(2),
    cumulative: (cumulative += m).toFixed(2),
  }));
  return {
    policy,
    market,
    seed: 4,
    campaigns: 2,
    days: margins.length,
    start: '2025-06-02',
    end: daily.at(-1)!.date,
    sizing: 'optimizer',
    level: 'auto',
    adset_markets: false,
    strategis_grain: 'adset',
    margin: cumulative.toFixed(2),
    margin_counted: (cumulative - 1).toFixed(2),
    spend: '0.00',
    revenue: '0.00',
    worst_drawdown: '0.00',
    budget_changes: { total: 0, raise: 0, cut: 0, pause: 0, adset: 0 },
    refused_by_guardrails: 0,
    held_by_optimizer: 0,
    accuracy: [],
    accuracy_by_direction: [],
    accuracy_reconciled: [],
    agreement: null,
    daily,
    runtime_ms: 1,
  };
}

/** The y of each point of an SVG path `M x,y L x,y ...` (Plot writes lines this way). */
const ys = (d: string) => [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));

describe('the backtest page with every policy', () => {
  // Cumulative margins over the 3 days: none 100, 200, 290; streak 50, 110, 180; scaleflow 100, 230, 380.
  const results = [
    result('none', [100, 100, 90], 'node test/markets/hill-market.mjs'),
    result('streak', [50, 60, 70], 'node test/markets/hill-market.mjs'),
    result('scaleflow', [100, 130, 150], 'node test/markets/hill-market.mjs'),
  ];
  const doc = new JSDOM(renderBacktestPage(results)).window.document;

  it("draws each policy's own line in its section, none's too, with every other policy's for comparison", () => {
    for (const policy of ['none', 'streak', 'scaleflow']) {
      const section = doc.querySelector(`#cell-${policy}`)!;
      const lines = Object.fromEntries(
        ['none', 'streak', 'scaleflow'].map((p) => [
          p,
          section.querySelectorAll(`g[aria-description="line ${p}"] path`),
        ]),
      );
      for (const [p, paths] of Object.entries(lines)) {
        expect(paths, `${policy} section, ${p} line`).toHaveLength(1);
        expect(ys(paths[0]!.getAttribute('d')!), `${policy} section, ${p} line`).toHaveLength(3);
        const stroke = paths[0]!.getAttribute('stroke') ?? paths[0]!.parentElement!.getAttribute('stroke');
        // The section's own policy in the palette's first colour, the others grey; none is ever unstroked.
        expect(stroke, `${policy} section, ${p} line`).toBe(p === policy ? PALETTE[0] : '#9ca3af');
      }
      // Screen y grows downwards: on the last day scaleflow (380) is highest, then none (290), then streak (180).
      const last = (p: string) => ys(lines[p]![0]!.getAttribute('d')!).at(-1)!;
      expect(last('scaleflow')).toBeLessThan(last('none'));
      expect(last('none')).toBeLessThan(last('streak'));
      // The own line is drawn last, over the others.
      const drawn = [...section.querySelectorAll('g[aria-description^="line "]')].map((g) =>
        g.getAttribute('aria-description'),
      );
      expect(drawn.at(-1)).toBe(`line ${policy}`);
    }
  });

  it("names the market and its seed, and shows the market's margin beside scaleflow's count", () => {
    expect(doc.querySelector('p.market')!.textContent).toBe('Market: node test/markets/hill-market.mjs, seed 4.');
    const row = [...doc.querySelectorAll<HTMLTableRowElement>('#cell-summary tbody tr')].find(
      (tr) => tr.cells[0]!.textContent === 'none',
    )!;
    expect(row.cells[1]!.textContent).toBe('$290');
    expect(row.cells[2]!.textContent).toBe('$289');
  });
});
