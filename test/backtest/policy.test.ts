import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { renderBacktestPage } from '../../services/backtest/page';
import type { BacktestResult } from '../../services/backtest/run';
import { accuracyByRule, upliftPct, worstDrawdown } from '../../lib/backtest/results';
import { streakActions, streakAlertTypes } from '../../lib/backtest/streak';
import { resolveThresholds, thresholdsConfigSchema } from '../../lib/decisions';
import { alertRules } from '../../lib/rules/alerts';
import { loadRuleSet } from '../../services/rules/files';
import { spawnCli } from '../support/processes';

// dates[k] = yesterday - k
const dates = ['2025-06-10', '2025-06-09', '2025-06-08', '2025-06-07', '2025-06-06'];
const day = (k: number, campaign_id: string, spend: string, revenue: string) => ({
  date: dates[k]!,
  campaign_id,
  spend,
  revenue,
});

describe("the streak policy's rules", () => {
  it('scales after 3 days over 130% and pauses after 5 days under 80%, by the one-decimal roas', () => {
    const rows = [
      // win: 140%, 131%, 130.1% on the last three days -> scale 40%
      day(0, 'win', '100', '140'),
      day(1, 'win', '100', '131'),
      day(2, 'win', '1000', '1301'),
      // edge: 130.04% rounds to 130.0%, which is not > 130 -> nothing
      day(0, 'edge', '100', '140'),
      day(1, 'edge', '100', '140'),
      day(2, 'edge', '10000', '13004'),
      // lose: 79.9% or less on all five days -> pause
      ...[0, 1, 2, 3, 4].map((k) => day(k, 'lose', '100', '79.9')),
      // gap: four losing days and a day without spend -> no streak, nothing
      ...[0, 1, 2, 3].map((k) => day(k, 'gap', '100', '50')),
    ];
    expect(streakActions(rows, dates)).toEqual([
      { campaign_id: 'lose', kind: 'pause' },
      { campaign_id: 'win', kind: 'scale', pct: 40 },
    ]);
  });

  it('types its proposals after the alert rules that raise and that pause, whatever their types are called', () => {
    // The shipped alert rules with their types renamed: the streak follows the files, not a spelling.
    const shipped = loadRuleSet(join(import.meta.dirname, '../../rules')).rules.filter((r) => r.rule.alert);
    const renamed = shipped.map((r) => ({
      id: r.rule.id,
      source: {
        ...r.source,
        alert: { ...(r.source.alert as object), type: `renamed_${r.rule.id.replaceAll('-', '_')}` },
      },
    }));
    const rules = alertRules(renamed)(resolveThresholds(thresholdsConfigSchema.parse(undefined)).of(''));
    // default-scale-up.yaml raises by effective_scale_pct (> 0); default-cut-loss.yaml pauses.
    expect(streakAlertTypes(rules)).toEqual({ scale: 'renamed_default_scale_up', pause: 'renamed_default_cut_loss' });
    expect(() => streakAlertTypes(rules.filter((r) => !r.actions.some((x) => 'pause' in x)))).toThrow(
      /no enabled alert rule pauses/,
    );
  });
});

describe('backtest figures', () => {
  it('worst drawdown is the largest fall of cumulative margin from its running peak', () => {
    // cumulative: 100, 300, 150, 100, 400, 250 -> peak 300 then 100: 200; peak 400 then 250: 150.
    expect(worstDrawdown([100, 200, -150, -50, 300, -150])).toBe(200);
    expect(worstDrawdown([5, 5, 5])).toBe(0);
    // A loss from the start counts from 0.
    expect(worstDrawdown([-30, 10])).toBe(30);
  });

  it('accuracy by rule, with all first, and uplift in percent', () => {
    const rows = accuracyByRule([
      { rule: 'scale_up', right: true },
      { rule: 'scale_up', right: false },
      { rule: 'cut_loss', right: true },
    ]);
    expect(rows).toEqual([
      { rule: 'all', checked: 3, right: 2, accuracy: 0.667 },
      { rule: 'cut_loss', checked: 1, right: 1, accuracy: 1 },
      { rule: 'scale_up', checked: 2, right: 1, accuracy: 0.5 },
    ]);
    expect(accuracyByRule([])).toEqual([{ rule: 'all', checked: 0, right: 0, accuracy: null }]);
    expect(upliftPct(115, 100)).toBe(15);
    expect(upliftPct(1, 0)).toBeNull();
  });
});

function result(policy: BacktestResult['policy'], margins: number[]): BacktestResult {
  let cumulative = 0;
  const daily = margins.map((m, i) => ({
    date: `2025-06-0${i + 2}`,
    margin: m.toFixed(2),
    cumulative: (cumulative += m).toFixed(2),
  }));
  return {
    policy,
    market: 'built-in',
    seed: 7,
    campaigns: 2,
    days: margins.length,
    start: '2025-06-02',
    end: daily.at(-1)!.date,
    sizing: 'optimizer',
    level: 'auto',
    adset_markets: false,
    strategis_grain: 'adset',
    margin: cumulative.toFixed(2),
    margin_counted: cumulative.toFixed(2),
    spend: '0.00',
    revenue: '0.00',
    worst_drawdown: '0.00',
    budget_changes: { total: policy === 'none' ? 0 : 3, raise: 1, cut: 1, pause: 1, adset: 0 },
    refused_by_guardrails: 0,
    held_by_optimizer: 0,
    accuracy: [{ rule: 'all', checked: 4, right: 3, accuracy: 0.75 }],
    accuracy_by_direction: [],
    accuracy_reconciled: [],
    agreement: null,
    daily,
    runtime_ms: 1,
  };
}

describe('the backtest page', () => {
  it('has the policies side by side and one chart per policy, margins against none', () => {
    const html = renderBacktestPage([result('none', [100, 100]), result('scaleflow', [100, 130])]);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('id="cell-none"');
    expect(html).toContain('id="cell-scaleflow"');
    // 230 against 200: +15.0%
    expect(html).toContain('+15.0%');
    expect(html).toContain('75.0%');
    expect(html).not.toContain('<script');
  });
});

describe('scaleflow backtest on the command line', () => {
  it('refuses an unknown policy and a bad number with the flag named, before running anything', async () => {
    const bad = spawnCli(['backtest', '--policy', 'yolo'], {});
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--policy: "yolo" is not one of none, streak, scaleflow, all');
    const days = spawnCli(['backtest', '--days', 'many'], {});
    expect(await days.exited).toBe(2);
    expect(days.output()).toContain('--days');
    const level = spawnCli(['backtest', '--level', 'sideways'], {});
    expect(await level.exited).toBe(2);
    expect(level.output()).toContain('--level: "sideways" is not one of campaign, auto, all');
    const grain = spawnCli(['backtest', '--adset-markets', 'true', '--strategis-grain', 'ad'], {});
    expect(await grain.exited).toBe(2);
    expect(grain.output()).toContain('--strategis-grain');
  });

  it('prints the JSON figures and writes the page', async () => {
    const out = join(inject('scratchDir'), 'backtest-cli.html');
    const cli = spawnCli(
      ['backtest', '--policy', 'none', '--days', '8', '--campaigns', '3', '--seed', '2', '--out', out],
      {},
    );
    expect(await cli.exited).toBe(0);
    const json = JSON.parse(cli.output().slice(cli.output().indexOf('{')));
    expect(json).toMatchObject({ policy: 'none', seed: 2, campaigns: 3, days: 8, budget_changes: { total: 0 } });
    expect(readFileSync(out, 'utf8')).toContain('id="cell-none"');
  }, 60_000);
});
