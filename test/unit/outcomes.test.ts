import { describe, expect, it } from 'vitest';
import { evaluateOutcome } from '../../lib/outcomes';

const week = (spend: number, revenue: number) => ({ spendCents: spend * 100, revenueCents: revenue * 100, days: 7 });
const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 } as const;

describe('outcome checks (METRICS.md)', () => {
  it('a scale-up whose margin per day rose was right', () => {
    // before: 980 - 700 = 280 margin, 40/day, roas 140.0; after: 1323 - 980 = 343, 49/day, roas 135.0
    const r = evaluateOutcome('scale_up', raise, week(700, 980), week(980, 1323));
    expect(r.baseline).toEqual({ spend: 700, revenue: 980, margin: 280, roas: 140, margin_per_day: 40 });
    expect(r.outcome).toEqual({ spend: 980, revenue: 1323, margin: 343, roas: 135, margin_per_day: 49 });
    expect(r.deltas).toEqual({ spend: 280, revenue: 343, margin: 63, roas: -5 });
    expect(r.is_improving).toBe(true);
    expect(r.was_right).toBe(true);
  });

  it('a scale-up that bought revenue at lower roas and less margin was wrong and is not improving', () => {
    // after: 1624 - 1400 = 224 margin (32/day < 40/day); revenue +644 but roas 116.0 - 140.0 = -24.0
    const r = evaluateOutcome('scale_up', raise, week(700, 980), week(1400, 1624));
    expect(r.deltas).toEqual({ spend: 700, revenue: 644, margin: -56, roas: -24 });
    expect(r.is_improving).toBe(false);
    expect(r.was_right).toBe(false);
  });

  it('a pause that stopped a daily loss was right, even with no spend after (roas n/a)', () => {
    // before: 490 - 700 = -210 (-30/day); after: nothing spent, 0/day >= -30/day
    const r = evaluateOutcome('cut_loss', { kind: 'pause' }, week(700, 490), week(0, 0));
    expect(r.outcome.roas).toBeNull();
    expect(r.deltas.roas).toBeNull();
    expect(r.deltas.margin).toBe(210);
    expect(r.is_improving).toBe(true);
    expect(r.rule).toBe('cut_loss');
    expect(r.was_right).toBe(true);
  });

  it('judges a manual budget raise as a scale-up and a manual cut as a loss-stopper', () => {
    expect(evaluateOutcome('manual', raise, week(700, 980), week(700, 980)).rule).toBe('scale_up');
    // Flat margin: a scale-up needs it to rise, so an unchanged week is not right.
    expect(evaluateOutcome('manual', raise, week(700, 980), week(700, 980)).was_right).toBe(false);
    const cut = { kind: 'set_daily_budget', fromCents: 10000, toCents: 6000 } as const;
    expect(evaluateOutcome('rule', cut, week(700, 490), week(420, 294)).rule).toBe('cut_loss');
    // -210 -> -126 margin: -18/day >= -30/day, the loss shrank
    expect(evaluateOutcome('rule', cut, week(700, 490), week(420, 294)).was_right).toBe(true);
  });
});
