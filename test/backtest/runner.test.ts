import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BacktestResult } from '../../services/backtest/run';
import { parseConfig } from '../../lib/config';
import { addDays } from '../../lib/dates';
import { thresholdsConfigSchema } from '../../lib/decisions';
import { toCents } from '../../lib/money';
import { Ledger, simulateDay, TAIL_DAYS, type CampaignSpec, type Market } from '../../lib/simulator';

// The runner must reach the production evaluateAndStore through its module, so a spy can see it.
vi.mock('../../services/decisions/evaluate-day', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../services/decisions/evaluate-day')>();
  return { ...real, evaluateAndStore: vi.fn(real.evaluateAndStore) };
});
// Files share their fork's module cache (vitest.config.ts, isolate: false): a file that ran before
// this one may have loaded the runner with the real module. Load the runner afresh, after the mock.
vi.resetModules();
const evaluateDay = await import('../../services/decisions/evaluate-day');
const { runBacktest } = await import('../../services/backtest/run');

const config = parseConfig({});
const thresholds = thresholdsConfigSchema.parse(undefined);
const deps = { config, thresholds };

/**
 * Two campaigns whose right moves are obvious. "winner" earns $3 on its first dollar and
 * saturates at k = $500, so its margin peaks at 500 ln 3 = $549/day, and it runs on $100/day:
 * raise it. "loser" earns $0.60 on its first dollar: it loses money at any spend, pause it.
 */
function handMarket(): Market {
  const options = { seed: 11, campaigns: 2, days: 12, start: '2025-06-02', warmupDays: 14 };
  const spec = (index: number, owner: string, curve: CampaignSpec['curve'], budgetCents: number): CampaignSpec => ({
    index,
    campaign_id: `hand${index}`,
    campaign_name: `Hand_FB_${index}`,
    owner,
    category: 'Hand',
    account_id: `act_${1001 + index}`,
    meta_campaign_id: String(9_000 + index),
    launchDay: -60,
    initialBudgetCents: budgetCents,
    curve,
    noiseSd: 0.03,
    fatigue: null,
  });
  const flat = () => new Float64Array(options.warmupDays + options.days + TAIL_DAYS).fill(1);
  return {
    ...options,
    specs: [spec(0, 'ben', { peak: 3, k: 500 }, 100_00), spec(1, 'tj', { peak: 0.6, k: 300 }, 200_00)],
    quality: [flat(), flat()],
  };
}

/**
 * The hand market's backtests, run once per policy and shared by the tests that read them; each
 * keeps the days evaluateAndStore was called for while it ran.
 */
const handRuns = new Map<string, Promise<{ result: BacktestResult; evaluatedAsOf: unknown[] }>>();
function onHandMarket(policy: 'none' | 'scaleflow') {
  let run = handRuns.get(policy);
  if (!run) {
    const spy = vi.mocked(evaluateDay.evaluateAndStore);
    run = (async () => {
      const before = spy.mock.calls.length;
      const result = await runBacktest({ policy }, { ...deps, market: handMarket() });
      return { result, evaluatedAsOf: spy.mock.calls.slice(before).map((call) => call[3]) };
    })();
    handRuns.set(policy, run);
  }
  return run.then((r) => r.result);
}

/** The market's own margin over the period at the buyers' budgets: what leaving them alone earns. */
function marginAtBuyersBudgets(market: Market): number {
  const ledger = new Ledger(market);
  const settings = market.specs.map((s) => ({ budgetCents: s.initialBudgetCents, active: true }));
  let margin = 0;
  for (let day = -market.warmupDays; day < market.days; day++) {
    ledger.record(day, simulateDay(market, day, settings));
    if (day >= 0) margin += ledger.marginOn(day);
  }
  return margin;
}

const ruleOf = (r: BacktestResult, rule: string) => r.accuracy.find((a) => a.rule === rule);
const directionOf = (r: BacktestResult, direction: 'all' | 'raise' | 'cut') =>
  r.accuracy_by_direction.find((a) => a.rule === direction);

afterEach(() => {
  vi.mocked(evaluateDay.evaluateAndStore).mockClear();
});

describe('the backtest runner on a hand-built market', () => {
  it('scaleflow pauses the loser, raises the winner, is right each time and beats leaving budgets alone', async () => {
    const none = await onHandMarket('none');
    const scaleflow = await onHandMarket('scaleflow');

    expect(scaleflow.budget_changes.pause).toBe(1);
    expect(scaleflow.budget_changes.raise).toBeGreaterThanOrEqual(1);
    // Every change had its 7-day check (TAIL_DAYS after the period), and each was right.
    expect(ruleOf(scaleflow, 'all')).toMatchObject({
      checked: scaleflow.budget_changes.total,
      right: scaleflow.budget_changes.total,
    });
    expect(ruleOf(scaleflow, 'cut_loss')).toMatchObject({ checked: 1, right: 1 });
    // By direction: the pause is the one cut, the raises are every other change.
    expect(directionOf(scaleflow, 'cut')).toMatchObject({ checked: 1, right: 1 });
    expect(directionOf(scaleflow, 'raise')).toMatchObject({
      checked: scaleflow.budget_changes.raise,
      right: scaleflow.budget_changes.raise,
    });
    expect(toCents(scaleflow.margin)).toBeGreaterThan(toCents(none.margin));
  }, 120_000);

  it('scaleflow trims a held campaign that spends past the point where its next dollar pays', async () => {
    // First dollar earns $1.20, saturation $200, budget $140/day: roas 1.2 * 200 * (1 - e^(-0.7)) / 140
    // = 86.9% (average bucket: held), but the next dollar earns 1.2 * e^(-0.7) = $0.60. Less spend
    // loses less: cut it. Its margin peaks at 200 ln 1.2 = $36/day.
    const base = handMarket();
    const market: Market = {
      ...base,
      specs: [{ ...base.specs[0]!, curve: { peak: 1.2, k: 200 }, initialBudgetCents: 140_00 }],
      quality: [base.quality[0]!],
    };
    const scaleflow = await runBacktest({ policy: 'scaleflow' }, { ...deps, market });
    expect(scaleflow.budget_changes.cut).toBeGreaterThanOrEqual(1);
    expect(scaleflow.budget_changes.raise).toBe(0);
    // A trim is a change of its own type (`rule`), judged as a cut: the margin per day must not fall.
    expect(ruleOf(scaleflow, 'rule')!.right).toBe(ruleOf(scaleflow, 'rule')!.checked);
    expect(directionOf(scaleflow, 'cut')).toEqual({ ...ruleOf(scaleflow, 'rule'), rule: 'cut' });
    // Leaving the budget alone earns the market's own margin (the next test shows "none" is that).
    expect(toCents(scaleflow.margin)).toBeGreaterThan(marginAtBuyersBudgets(market));
  }, 120_000);

  it("none's margin is the market's own at the buyers' budgets over the period, warm-up and tail left out", async () => {
    const market = handMarket();
    const result = await onHandMarket('none');
    expect(result.budget_changes.total).toBe(0);
    expect(toCents(result.margin)).toBe(marginAtBuyersBudgets(market));
    expect(result.daily).toHaveLength(market.days);
    expect(result.daily.at(-1)!.cumulative).toBe(result.margin);
    expect(result.start).toBe('2025-06-02');
    expect(result.end).toBe(addDays('2025-06-02', market.days - 1));
  }, 120_000);

  it('streak scales the winner on every day of its streak and pauses the loser after five losing days', async () => {
    const market = handMarket();
    const result = await runBacktest({ policy: 'streak' }, { ...deps, market });
    // The loser's roas is about 0.6 * 300 * (1 - e^(-200/300)) / 200 = 44% every day: paused on day 0.
    expect(result.budget_changes.pause).toBe(1);
    // The winner is raised 40% every morning while its roas holds over 130%, with no cooldown:
    // $100 -> 140 -> 196 -> 274 -> 384 -> 538 -> 753 -> 1,054. Its roas at a budget b is
    // 3 * 500 * (1 - e^(-b/500)) / b: 155% at $753, 125% at $1,054, so the seventh raise is the last,
    // leaving it at about twice the $549 where its margin peaks.
    expect(result.budget_changes.raise).toBe(7);
    // Typed after the shipped alert rules that raise and pause (rules/default-*.yaml), one check each.
    expect(result.accuracy.map((a) => [a.rule, a.checked])).toEqual([
      ['all', 8],
      ['cut_loss', 1],
      ['scale_up', 7],
    ]);
  }, 120_000);
});

describe('the backtest runner and the production decision code', () => {
  it('calls evaluateAndStore once per simulated day, as of that day', async () => {
    const market = handMarket();
    await onHandMarket('scaleflow');
    const { evaluatedAsOf } = await handRuns.get('scaleflow')!;
    expect(evaluatedAsOf).toEqual(Array.from({ length: market.days }, (_, d) => addDays(market.start, d)));
  }, 120_000);

  it('acts on what the decision code stores: with a decision function that finds nothing, nothing changes', async () => {
    const real = await onHandMarket('scaleflow');
    expect(real.budget_changes.total).toBeGreaterThan(0);
    const spy = vi.mocked(evaluateDay.evaluateAndStore);
    const production = spy.getMockImplementation()!;
    spy.mockImplementation(async (_w, _c, _t, asOf) => ({ asOf, campaigns: 0, alerts: 0, byType: {} }));
    try {
      const blind = await runBacktest({ policy: 'scaleflow' }, { ...deps, market: handMarket() });
      expect(blind.budget_changes.total).toBe(0);
    } finally {
      spy.mockImplementation(production);
    }
  }, 120_000);
});
