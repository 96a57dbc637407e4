import { describe, expect, it } from 'vitest';
import { evaluateOutcome } from '../../lib/outcomes';

const week = (spend: number, revenue: number) => ({ spendCents: spend * 100, revenueCents: revenue * 100, days: 7 });
const raise = { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 } as const;

describe('outcome checks (METRICS.md)', () => {
  it('a scale-up whose margin per day rose was right', () => {
    // before: 980 - 700 = 280 margin, 40/day, roas 140.0; after: 1323 - 980 = 343, 49/day, roas 135.0
    const r = evaluateOutcome({ type: 'scale_up', action: raise }, week(700, 980), week(980, 1323));
    expect(r.baseline).toEqual({ spend: 700, revenue: 980, margin: 280, roas: 140, margin_per_day: 40 });
    expect(r.outcome).toEqual({ spend: 980, revenue: 1323, margin: 343, roas: 135, margin_per_day: 49 });
    expect(r.deltas).toEqual({ spend: 280, revenue: 343, margin: 63, roas: -5 });
    expect(r.is_improving).toBe(true);
    expect(r.was_right).toBe(true);
  });

  it('a scale-up that bought revenue at lower roas and less margin was wrong and is not improving', () => {
    // after: 1624 - 1400 = 224 margin (32/day < 40/day); revenue +644 but roas 116.0 - 140.0 = -24.0
    const r = evaluateOutcome({ type: 'scale_up', action: raise }, week(700, 980), week(1400, 1624));
    expect(r.deltas).toEqual({ spend: 700, revenue: 644, margin: -56, roas: -24 });
    expect(r.is_improving).toBe(false);
    expect(r.was_right).toBe(false);
  });

  it('a pause that stopped a daily loss was right, even with no spend after (roas n/a)', () => {
    // before: 490 - 700 = -210 (-30/day); after: nothing spent, 0/day >= -30/day
    const r = evaluateOutcome({ type: 'cut_loss', action: { kind: 'pause' } }, week(700, 490), week(0, 0));
    expect(r.outcome.roas).toBeNull();
    expect(r.deltas.roas).toBeNull();
    expect(r.deltas.margin).toBe(210);
    expect(r.is_improving).toBe(true);
    expect(r.rule).toBe('cut_loss');
    expect(r.was_right).toBe(true);
  });

  it('judges a change by which way it moves the budget, and groups it under its own type', () => {
    // A manual raise is judged like a scale-up: flat margin (280/7 = 40/day before and after) is not a rise.
    const manual = evaluateOutcome({ type: 'manual', action: raise }, week(700, 980), week(700, 980));
    expect(manual).toMatchObject({ rule: 'manual', judged_as: 'raise', was_right: false });
    // A resume is a raise too: -210 -> -210 margin, -30/day both weeks, did not rise.
    expect(
      evaluateOutcome({ type: 'manual', action: { kind: 'resume' } }, week(700, 490), week(700, 490)),
    ).toMatchObject({ judged_as: 'raise', was_right: false });
    // A buyer's rule that cuts is judged like a loss-stopper and grouped under its id:
    // -210 -> -126 margin: -18/day >= -30/day, the loss shrank.
    const cut = { kind: 'set_daily_budget', fromCents: 10000, toCents: 6000 } as const;
    const byRule = evaluateOutcome(
      { type: 'rule', action: cut, evidence: { rule_id: 'night-trim' } },
      week(700, 490),
      week(420, 294),
    );
    expect(byRule).toMatchObject({ rule: 'rule:night-trim', judged_as: 'cut', was_right: true });
    // Without a rule id (a simulated trim) it is grouped as `rule`; flat margin is right for a cut (-30/day >=
    // -30/day).
    expect(evaluateOutcome({ type: 'rule', action: cut }, week(700, 490), week(700, 490))).toMatchObject({
      rule: 'rule',
      judged_as: 'cut',
      was_right: true,
    });
  });

  it("judges an alert rule's change by its action, not by its alert type", () => {
    // An alert type the code has never heard of, whose rule raises: judged as a raise.
    // 280/7 = 40/day before, 343/7 = 49/day after: rose, right.
    expect(evaluateOutcome({ type: 'reopen_winner', action: raise }, week(700, 980), week(980, 1323))).toMatchObject({
      rule: 'reopen_winner',
      judged_as: 'raise',
      was_right: true,
    });
    // One that pauses: -30/day before, 0/day after, the loss stopped.
    expect(
      evaluateOutcome({ type: 'stop_bleeder', action: { kind: 'pause' } }, week(700, 490), week(0, 0)),
    ).toMatchObject({ rule: 'stop_bleeder', judged_as: 'cut', was_right: true });
  });
});
