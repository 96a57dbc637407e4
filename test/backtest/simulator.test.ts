import { describe, expect, it } from 'vitest';
import {
  createMarket,
  DELIVERY_BAND,
  deliveredSpend,
  expectedRevenue,
  Ledger,
  marginalRoas,
  optimalSpend,
  RECONCILED_AFTER,
  reportCsv,
  reportedRevenue,
  simulateDay,
  type Market,
} from '../../lib/simulator';

const options = { seed: 7, campaigns: 30, days: 20, start: '2025-06-02', warmupDays: 14 };

function runMarket(market: Market, budgetOf: (c: number, day: number) => number) {
  const ledger = new Ledger(market);
  for (let day = -market.warmupDays; day < market.days; day++) {
    ledger.record(
      day,
      simulateDay(
        market,
        day,
        market.specs.map((_, c) => ({ budgetCents: budgetOf(c, day), active: true })),
      ),
    );
  }
  return ledger;
}

describe('the market simulator', () => {
  it('is deterministic for a seed: same campaigns, same days, same report', () => {
    const a = createMarket(options);
    const b = createMarket(options);
    expect(b.specs).toEqual(a.specs);
    const budget = (c: number) => a.specs[c]!.initialBudgetCents;
    const la = runMarket(a, budget);
    const lb = runMarket(b, budget);
    expect(reportCsv(lb.reportRows(10, 3))).toBe(reportCsv(la.reportRows(10, 3)));
    for (let day = 0; day < options.days; day++) expect(lb.marginOn(day)).toBe(la.marginOn(day));
  });

  it('gives another market for another seed', () => {
    const a = createMarket(options);
    const b = createMarket({ ...options, seed: 8 });
    expect(b.specs.map((s) => s.curve)).not.toEqual(a.specs.map((s) => s.curve));
  });

  it("keeps one campaign's noise independent of the others' budgets (common random numbers)", () => {
    const market = createMarket(options);
    const base = runMarket(market, (c) => market.specs[c]!.initialBudgetCents);
    // Double every budget but campaign 0's: campaign 0's days must not move.
    const other = runMarket(market, (c) => market.specs[c]!.initialBudgetCents * (c === 0 ? 1 : 2));
    for (let day = 0; day < options.days; day++) expect(other.outcome(day, 0)).toEqual(base.outcome(day, 0));
  });

  it('has concave, saturating curves: revenue rises ever more slowly and margin peaks at k ln(peak)', () => {
    const curve = { peak: 2, k: 100 };
    // By hand: revenue(s) = 2 * 100 * (1 - e^(-s/100)).
    expect(expectedRevenue(curve, 100)).toBeCloseTo(200 * (1 - Math.exp(-1)), 9);
    expect(expectedRevenue(curve, 0)).toBe(0);
    expect(marginalRoas(curve, 0)).toBe(2);
    expect(optimalSpend(curve)).toBeCloseTo(100 * Math.log(2), 9);
    expect(marginalRoas(curve, optimalSpend(curve))).toBeCloseTo(1, 9);
    expect(optimalSpend({ peak: 0.9, k: 100 })).toBe(0);
  });

  it('delivers within 25% of the daily budget, and nothing when paused', () => {
    const spends = Array.from({ length: 2000 }, (_, day) => deliveredSpend(10_000, true, 7, 3, day));
    expect(Math.min(...spends)).toBeGreaterThanOrEqual(10_000 * (1 - DELIVERY_BAND));
    expect(Math.max(...spends)).toBeLessThanOrEqual(10_000 * (1 + DELIVERY_BAND));
    // Both ways: some days under, some over.
    expect(spends.some((s) => s < 9_500) && spends.some((s) => s > 10_500)).toBe(true);
    expect(deliveredSpend(10_000, false, 7, 3, 1)).toBe(0);
  });

  it('reports revenue short at first and restates it upwards until it is final', () => {
    const seen = [1, 2, 3, RECONCILED_AFTER, RECONCILED_AFTER + 2].map((lag) => reportedRevenue(100_000, lag, 7, 1, 5));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]!).toBeGreaterThanOrEqual(85_000);
    expect(seen.at(-2)).toBe(100_000);
    expect(seen.at(-1)).toBe(100_000);
  });

  it('has launches, fatigue, weekday seasonality and drift', () => {
    const market = createMarket({ ...options, campaigns: 200 });
    expect(market.specs.some((s) => s.launchDay >= 0)).toBe(true);
    expect(market.specs.some((s) => s.fatigue && s.fatigue.day >= 0)).toBe(true);
    const withFatigue = market.specs.find((s) => s.fatigue && s.fatigue.day > -options.warmupDays + 1)!;
    const j = withFatigue.fatigue!.day + options.warmupDays;
    const q = market.quality[withFatigue.index]!;
    // A sudden drop on the fatigue day, far beyond a day's drift.
    expect(q[j]! / q[j - 1]!).toBeLessThan(0.8);
    // Drift: quality wanders without fatigue too.
    const steady = market.specs.find((s) => !s.fatigue)!;
    expect(new Set(market.quality[steady.index]).size).toBeGreaterThan(10);
  });

  it('writes the report in the contract columns, one row per campaign-day with spend', () => {
    const market = createMarket({ ...options, campaigns: 3 });
    const ledger = runMarket(market, (c) => market.specs[c]!.initialBudgetCents);
    const csv = reportCsv(ledger.reportRows(5, -2)).trim().split('\n');
    expect(csv[0]).toBe(
      'date,campaign_id,campaign_name,owner,category,spend,revenue,account_id,meta_campaign_id,is_reconciled',
    );
    const live = (day: number) => market.specs.filter((s) => s.launchDay <= day).length;
    let expected = 0;
    for (let day = -2; day < 5; day++) expected += live(day);
    expect(csv.length - 1).toBe(expected);
  });
});
