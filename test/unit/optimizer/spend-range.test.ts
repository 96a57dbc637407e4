import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/dates';
import {
  confidenceLabel,
  confidenceScore,
  fitCurve,
  optimizeBudget,
  type PlannedRequest,
} from '../../../lib/optimizer';

/**
 * Issue 20 item 3: the optimiser stays inside the spend the data supports (widened by one
 * exploration step of EXPLORE_PCT = 20%), recommends 0 where no spend it has shown paid, and its
 * confidence says how much spend variation the fit has seen.
 */
const AS_OF = '2025-10-13'; // yesterday 2025-10-12, the 28-day lookback 2025-09-15..2025-10-12
const days = (pairs: [number, number][]) =>
  pairs.map(([spend, revenue], i) => ({
    date: addDays('2025-10-12', -i),
    spend: spend.toFixed(2),
    revenue: revenue.toFixed(2),
  }));
const steady = (spend: number, revenue: number) =>
  days(Array.from({ length: 28 }, (): [number, number] => [spend, revenue]));
/** 14 days at $100 and 14 at $200, alternating, revenue 20 * sqrt(spend): $200 and $282.84. */
const varied = days(Array.from({ length: 28 }, (_, i): [number, number] => (i % 2 ? [200, 282.84] : [100, 200])));
const request = (constraints: Partial<PlannedRequest['constraints']> = {}, total_budget = 1000): PlannedRequest => ({
  total_budget,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 0, max_daily_spend_per_campaign: 1000, max_change_pct: 100, ...constraints },
});
const plan = (req: PlannedRequest, current: string, history: ReturnType<typeof days>) =>
  optimizeBudget(req, [{ campaign_id: 'c', current_budget: current, history }], { as_of: AS_OF }).recommendations[0]!;

describe('optimiser: inside the spend it has seen', () => {
  it('a steady $300/day at 50% ROAS for 28 days gets 0, not $5.93 at "133%" with high confidence', () => {
    // Before: b = 0.75 (prior, no spread), a = 150 / 300^0.75 = 150 / 72.0843 = 2.080896; margin peaks at
    // (0.75 a)^4 = 1.560672^4 = $5.93, roas 1/0.75 = 133.3%, 28 exact days -> confidence 1 "high".
    // Now: roas on the curve at the lowest spend shown ($300) = 150 / 300 = 50% <= 100%: no spend paid -> 0.
    const rec = plan(request({}, 300), '300.00', steady(300, 150));
    expect(rec).toMatchObject({
      recommended_budget: 0,
      reason: 'unprofitable',
      expected_roas: null,
      // Sxx = 0 -> spread 0 -> score min(days 1, fit 1, spread 0) = 0, low
      confidence: 0,
      confidence_label: 'low',
    });
    expect(rec.explanation).toBe(
      'expected ROAS at the lowest daily spend it has shown ($300.00) is 50.0%: no spend it has shown paid',
    );
  });

  it('a steady $100/day at 150% goes one exploration step up ($120), not to the prior-shaped optimum $160.18', () => {
    // a = 150 / 100^0.75 = 4.743416; the prior's optimum (0.75 a)^4 = $160.18 is past 100 * 1.2 = $120.
    // At $120: roas 474.3416 / 120^0.25 = 474.3416 / 3.309751 = 143.3%, margin 1.433164 * 120 - 120 = 51.98.
    const rec = plan(request(), '100.00', steady(100, 150));
    expect(rec).toMatchObject({
      recommended_budget: 120,
      reason: 'at_spend_range',
      expected_roas: 143.3,
      expected_margin: 51.98,
      confidence_label: 'low',
    });
    expect(rec.explanation).toBe(
      'held within 20% of the daily spends it has shown ($100.00 to $100.00): past them the curve is a guess',
    );
    // A step down goes no further than 20% under the lowest spend shown either: $80 from $100 at min_roas
    // 160% (roas 474.3416 / 80^0.25 = 474.3416 / 2.990698 = 158.6% < 160, so the roas cap would sit below $80:
    // (474.3416 / 160)^4 = 77.25; the range's floor holds, and below it min_roas leaves nothing: 0).
    expect(plan(request({ min_roas: 160 }), '100.00', steady(100, 150))).toMatchObject({
      recommended_budget: 0,
      reason: 'below_min_roas',
    });
  });

  it('spend that varied 2x is its own evidence: margin-optimal inside the range, high confidence', () => {
    // logs: 14 at ln 100, 14 at ln 200, deviations +-ln2/2 = +-0.346574: Sxx = 28 * 0.120113 = 3.363171;
    // revenue deviations +-ln2/4: Sxy = Sxx / 2 = 1.681586; b = (1.681586 + 0.75) / 4.363171 = 0.557298.
    // a = 14 * (200 + 282.84) / (14 * (100^b + 200^b)) = 482.84 / (13.01956 + 19.15788) = 15.005; the margin
    // peaks at (a b)^(1 / (1 - b)) = 8.36238^2.258857 = $121.18 (roas 1/b = 179.4%), inside [$80, $240].
    const rec = plan(request(), '150.00', varied);
    expect(rec.reason).toBe('margin_optimal');
    expect(rec.recommended_budget).toBeCloseTo(121.18, 1);
    expect(rec.expected_roas).toBe(179.4);
    // spread = 3.363171 / 4.363171 = 0.770809 -> 0.8 + 0.2 * 0.270809 / 0.5 = 0.908324; days 28 -> 1;
    // fit error 0.019205 -> 1 - 0.2 * 0.019205 / 0.25 = 0.984636: min 0.91, high
    expect(rec).toMatchObject({ confidence: 0.91, confidence_label: 'high' });
  });

  it('recommends 0 when no spend shown paid, though the curve below the lowest would', () => {
    // $100 -> $90 and $200 -> $120 (roas 90% and 60%): b = (28 * 0.346574 * 0.143841 + 0.75) / 4.363171
    // = 0.491779, a = 210 / (100^b + 200^b) = 210 / (9.62899 + 13.53980) = 9.06391: roas at $100 = 87.3%,
    // while at $10 it would be 9.06391 * 10^-0.508221 = 2.819 -> 282%: the extrapolation is not taken.
    const history = days(Array.from({ length: 28 }, (_, i): [number, number] => (i % 2 ? [200, 120] : [100, 90])));
    expect(plan(request({ max_change_pct: 1000 }), '150.00', history)).toMatchObject({
      recommended_budget: 0,
      reason: 'unprofitable',
    });
  });
});

describe('confidence says how much spend variation the fit has seen', () => {
  it('no spread is low whatever the days and fit; half the slope from the data is needed for high', () => {
    expect([confidenceLabel(28, 0, 0), confidenceScore(28, 0, 0)]).toEqual(['low', 0]);
    // spread 0.2 -> 0.4: medium at its floor
    expect([confidenceLabel(28, 0, 0.2), confidenceScore(28, 0, 0.2)]).toEqual(['medium', 0.4]);
    // spread 0.35 -> 0.4 + 0.4 * 0.15 / 0.3 = 0.6
    expect([confidenceLabel(28, 0, 0.35), confidenceScore(28, 0, 0.35)]).toEqual(['medium', 0.6]);
    expect([confidenceLabel(28, 0, 0.5), confidenceScore(28, 0, 0.5)]).toEqual(['high', 0.8]);
    // a steady 28 days fitted exactly: Sxx = 0, low
    const curve = fitCurve(Array.from({ length: 28 }, () => ({ spend: 30000, revenue: 15000 })))!;
    expect(curve.fit_error).toBeCloseTo(0, 12);
    expect(curve).toMatchObject({ b: 0.75, confidence: 0, confidence_label: 'low' });
  });
});
