import { describe, expect, it } from 'vitest';
import { agreementWithTruth } from '../../lib/backtest/agreement';
import { parseConfig } from '../../lib/config';
import { thresholdsConfigSchema } from '../../lib/decisions';
import { changeEffectCents } from '../../lib/simulator/counterfactual';
import { Ledger } from '../../lib/simulator/ledger';
import { createMarket, simulateDay } from '../../lib/simulator/market';
import { renderBacktestPage } from '../../services/backtest/page';
import { runBacktest } from '../../services/backtest/run';

const deps = { config: parseConfig({}), thresholds: thresholdsConfigSchema.parse(undefined) };

describe('agreement of the accuracy definitions with the truth', () => {
  it('counts, per definition, the checks whose verdict matches the sign of the truth', () => {
    // 1 raise, truth +$5: right. was_right true agrees; vs control true agrees.
    // 2 raise, truth -$2: wrong. was_right true disagrees; vs control false agrees.
    // 3 cut, truth 0: right (a cut must not lose). was_right true agrees; no control: not compared.
    // 4 raise, truth unknown (an ad set): in neither count.
    const a = agreementWithTruth(
      [
        { direction: 'raise', was_right: true, right_vs_control: true, truth_cents: 500 },
        { direction: 'raise', was_right: true, right_vs_control: false, truth_cents: -200 },
        { direction: 'cut', was_right: true, right_vs_control: null, truth_cents: 0 },
        { direction: 'raise', was_right: false, right_vs_control: true, truth_cents: null },
      ],
      true,
    );
    // was_right: 2 of 3 = 0.667; right_vs_control: 2 of 2 = 1.
    expect(a).toEqual({
      with_truth: 3,
      was_right: { compared: 3, agree: 2, rate: 0.667 },
      right_vs_control: { compared: 2, agree: 2, rate: 1 },
    });
    expect(agreementWithTruth([], false)).toBeNull();
  });

  it('the built-in market replays a campaign without the change, same noise', () => {
    const market = createMarket({ seed: 9, campaigns: 3, days: 10, start: '2025-06-02', warmupDays: 2 });
    const ledger = new Ledger(market);
    const at = (budgetCents: number) => market.specs.map(() => ({ budgetCents, active: true }));
    for (let day = -2; day < 10; day++) ledger.record(day, simulateDay(market, day, at(20_000)));
    // Replayed at the setting it was delivered at, nothing differs: the same draws, effect 0.
    expect(changeEffectCents(market, ledger, 1, 1, 7, { budgetCents: 20_000, active: true })).toBe(0);
    // Replayed paused, nothing is spent or earned: the effect is the delivered margin of days 1..7 itself.
    let delivered = 0;
    for (let day = 1; day <= 7; day++)
      delivered += ledger.outcome(day, 1).revenueCents - ledger.outcome(day, 1).spendCents;
    expect(changeEffectCents(market, ledger, 1, 1, 7, { budgetCents: 20_000, active: false })).toBe(delivered);
  });

  it('a small run reports both agreements on the built-in market and n/a on the external one, JSON and page', async () => {
    const builtin = await runBacktest({ policy: 'scaleflow', seed: 3, campaigns: 10, days: 12 }, deps);
    const a = builtin.agreement!;
    expect(a.with_truth).toBeGreaterThan(0);
    // Every campaign-level check on the built-in market has a truth; the figures are agree / compared.
    expect(a.was_right.compared).toBe(a.with_truth);
    expect(a.was_right.rate).toBe(Math.round((a.was_right.agree / a.was_right.compared) * 1000) / 1000);
    expect(a.right_vs_control.compared).toBeLessThanOrEqual(a.with_truth);
    expect(JSON.parse(JSON.stringify(builtin)).agreement).toEqual(a);
    const external = await runBacktest(
      { policy: 'scaleflow', seed: 3, campaigns: 6, days: 8, marketCmd: 'node test/markets/hill-market.mjs' },
      deps,
    );
    expect(external.agreement).toBeNull();
    const page = renderBacktestPage([builtin]);
    expect(page).toContain('was_right agrees with truth');
    expect(page).toContain(`${(a.was_right.rate! * 100).toFixed(1)}% of ${a.was_right.compared}`);
    const rows = renderBacktestPage([external]).match(/<tr><td>[^]*?<\/tr>/)![0];
    expect(rows.match(/>n\/a</g)?.length).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
