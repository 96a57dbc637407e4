import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/dates';
import {
  budgetResponseSchema,
  optimizeBudget,
  type OptimizerCampaign,
  type PlannedRequest,
} from '../../../lib/optimizer';

const AS_OF = '2025-10-13'; // yesterday 2025-10-12
const history = (n: number, spend: number, revenue: number) =>
  Array.from({ length: n }, (_, i) => ({
    date: addDays('2025-10-12', -i),
    spend: spend.toFixed(2),
    revenue: revenue.toFixed(2),
  }));
const request = (
  constraints: Partial<PlannedRequest['constraints']> = {},
  rest: Partial<PlannedRequest> = {},
): PlannedRequest => ({
  total_budget: 10_000,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 100, max_daily_spend_per_campaign: 1000, max_change_pct: 50, ...constraints },
  ...rest,
});
const run = (req: PlannedRequest, campaigns: OptimizerCampaign[]) => optimizeBudget(req, campaigns, { as_of: AS_OF });

/**
 * 28 days at 100 spend, 150 revenue: b = 0.75 (no spread), a = 150 / 100^0.75 = 4.743416.
 * roas(s) = 474.3416 * s^-0.25 %; margin-optimal where 0.75 a s^-0.25 = 1: s = (0.75 a)^4 = 160.18.
 * It has only ever spent 100, so its recommendations stay in 100 -+ 20% = [80, 120] (EXPLORE_PCT),
 * and its curve's shape is the prior's: confidence 0, low (lib/optimizer/confidence.ts).
 */
const steady = (id: string, current: string | null = '100.00'): OptimizerCampaign => ({
  campaign_id: id,
  current_budget: current,
  history: history(28, 100, 150),
});

describe('budget optimiser, one campaign with a known curve', () => {
  it('raises a 150% roas campaign as far as max_change_pct allows (10%: 100 -> 110)', () => {
    const r = run(request({ max_change_pct: 10 }), [steady('a')]);
    // at 110: revenue a * 110^0.75 = 4.743416 * 33.96611 = 161.11, roas 146.5, margin 51.11; at 100 50.00 -> gain 1.11
    expect(r.recommendations).toEqual([
      {
        entity_type: 'campaign',
        entity_id: 'a',
        campaign_id: 'a',
        adset_id: null,
        current_budget: 100,
        current_budget_source: 'meta', // given, as the last sync read it
        recommended_budget: 110,
        expected_margin_gain: 1.11,
        confidence: 0, // 28 days (1) and an exact fit (1), but no spread: the slope is the prior's (0)
        confidence_label: 'low',
        reason: 'at_max_change',
        explanation: 'moved as far as max_change_pct (10%) allows from $100.00',
        expected_roas: 146.5,
        expected_margin: 51.11,
        curve: {
          model: 'revenue = a * spend^b',
          a: 4.743416,
          b: 0.75,
          days: 28,
          fit_error: 0,
          confidence: 0,
          confidence_label: 'low',
        },
      },
    ]);
    expect(r.constraints).toEqual({ min_roas: 100, max_daily_spend_per_campaign: 1000, max_change_pct: 10 });
    expect(r).toMatchObject({
      optimization_goal: 'max_margin',
      expected_total_spend: 110,
      expected_total_margin: 51.11,
      expected_total_revenue: 161.11,
      kept_current_allocation: false,
    });
    expect(budgetResponseSchema.parse(r)).toEqual(r);
    expect(r.model).toBe(
      'revenue = a * spend^b (0.1 <= b <= 1), fitted per campaign on its 28 days ending 2025-10-12: b by least squares on logs shrunk towards 0.75, a so the curve matches the revenue actually made',
    );
  });

  it("stops at one exploration step past the spends shown, not at the prior's margin-optimal 160.18", () => {
    // 100 * 1.2 = 120: revenue a * 120^0.75 = 171.98, roas 143.3, margin 51.98
    const rec = run(request({ max_change_pct: 100 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 120,
      expected_roas: 143.3,
      expected_margin: 51.98,
      reason: 'at_spend_range',
    });
  });

  it('min_roas caps the budget where expected roas meets it: (a / 1.45)^4 = 114.52 for 145%', () => {
    // (474.3416 / 145)^4 = 3.271321^4 = 114.52; margin at 114.52: 1.45 * 114.52 - 114.52 = 51.54, gain 1.54
    const rec = run(request({ min_roas: 145 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 114.52,
      expected_roas: 145,
      expected_margin: 51.54,
      expected_margin_gain: 1.54,
      reason: 'at_min_roas',
      explanation: 'as far as expected ROAS stays at or above min_roas 145.0%',
    });
  });

  it('max_daily_spend_per_campaign caps it: 120 (margin 51.98, roas 143.3)', () => {
    const rec = run(request({ max_daily_spend_per_campaign: 120 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 120,
      expected_roas: 143.3,
      expected_margin: 51.98,
      expected_margin_gain: 1.98,
      reason: 'at_cap',
      explanation: 'held at max_daily_spend_per_campaign ($120.00)',
    });
  });

  it('a campaign below min_roas even at its lowest allowed budget gets 0, with the reason', () => {
    // lowest allowed: 100 - 20% = 80 (the spends shown; 100 - 50% = 50 is further);
    // roas(80) = 474.34 / 80^0.25 = 158.6% < 200%. Margin 0 vs 50 now: -50.00
    const rec = run(request({ min_roas: 200 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 0,
      expected_roas: null,
      expected_margin: 0,
      expected_margin_gain: -50,
      reason: 'below_min_roas',
      explanation: 'expected ROAS at its lowest allowed budget ($80.00) is 158.6%, below min_roas 200%',
    });
  });

  it('hard per-campaign limits win over max_change_pct (a chosen trade-off: never above the max, never run below the min)', () => {
    // 100 +-10% = [90, 110] lies under a 120 minimum -> 120
    expect(
      run(request({ max_change_pct: 10, min_daily_spend_per_campaign: 120 }), [steady('a')]).recommendations[0],
    ).toMatchObject({ recommended_budget: 120, reason: 'at_min_spend' });
    // 300 +-10% = [270, 330] lies over a 200 maximum -> 200 (roas(200) = 126.1% >= 100)
    expect(
      run(request({ max_change_pct: 10, max_daily_spend_per_campaign: 200 }), [steady('a', '300.00')])
        .recommendations[0],
    ).toMatchObject({ recommended_budget: 200, reason: 'at_cap' });
  });

  it('max_revenue spends up to the top of the window while roas holds min_roas', () => {
    // 100 + 10% = 110: revenue a * 110^0.75 = 161.11, margin 51.11
    const r = run(request({ max_change_pct: 10 }, { optimization_goal: 'max_revenue' }), [steady('a')]);
    expect(r).toMatchObject({
      expected_total_spend: 110,
      expected_total_revenue: 161.11,
      expected_total_margin: 51.11,
    });
    expect(r.recommendations[0]!.reason).toBe('at_max_change');
  });
});

describe('budget optimiser, campaigns it cannot plan', () => {
  it('a paused campaign stays paused; a campaign without spend history is not funded', () => {
    const r = run(request(), [
      steady('paused', '0'),
      { campaign_id: 'new', current_budget: '80.00', history: history(5, 0, 0) },
    ]);
    expect(r.recommendations).toEqual([
      // sorted by gain (both 0), then id
      {
        entity_type: 'campaign',
        entity_id: 'new',
        campaign_id: 'new',
        adset_id: null,
        current_budget: 80,
        current_budget_source: 'meta',
        recommended_budget: 0,
        expected_margin_gain: 0,
        confidence: 0, // no curve
        confidence_label: 'low',
        reason: 'no_history',
        explanation: 'no day with spend in its history: no curve to plan with',
        expected_roas: null,
        expected_margin: 0,
        curve: null,
      },
      expect.objectContaining({
        entity_type: 'campaign',
        entity_id: 'paused',
        campaign_id: 'paused',
        adset_id: null,
        current_budget: 0,
        recommended_budget: 0,
        reason: 'paused',
        explanation: 'paused (current budget $0.00): the plan does not restart paused campaigns',
      }),
    ]);
    expect(r.expected_total_spend).toBe(0);
  });

  it('without a current budget, uses the mean daily spend of the 7 days ending yesterday', () => {
    // 5 of the last 7 days at 70: 350 / 7 = 50.00
    const r = run(request(), [{ campaign_id: 'a', current_budget: null, history: history(5, 70, 105) }]);
    expect(r.recommendations[0]).toMatchObject({ current_budget: 50, current_budget_source: 'mean_spend_7d' });
  });

  it('fits on the lookback window only: older days and days after yesterday are ignored', () => {
    const old = Array.from({ length: 10 }, (_, i) => ({
      date: addDays('2025-09-14', -i),
      spend: '1000.00',
      revenue: '100.00',
    }));
    const future = [{ date: '2025-10-13', spend: '5000.00', revenue: '0.00' }];
    const rec = run(request(), [
      { campaign_id: 'a', current_budget: '100.00', history: [...history(28, 100, 150), ...old, ...future] },
    ]).recommendations[0]!;
    expect(rec.curve).toMatchObject({ days: 28, a: 4.743416, b: 0.75 });
  });
});

describe('budget optimiser, several campaigns', () => {
  it('a small total budget goes to the campaign with the better return per dollar', () => {
    // a: roas 150 at 100, b: roas 120 at 100 (a_b = 120 / 31.6228 = 3.794733); both may go to 80..120
    // (the spends shown -+ 20%, inside 50..150). With 100 only one fits at its 80 floor. Margin per dollar
    // at 80: a (126.88 - 80) / 80 = 0.59, b (101.51 - 80) / 80 = 0.27 -> a, which then takes all 100 (its
    // marginal margin at 100 is 0.75 * 1.5 - 1 = 0.125 > 0). margin a at 100: 150 - 100 = 50.00
    const b = { campaign_id: 'b', current_budget: '100.00', history: history(28, 100, 120) };
    const r = run(request({}, { total_budget: 100 }), [b, steady('a')]);
    expect(r.recommendations.map((x) => [x.campaign_id, x.recommended_budget, x.reason, x.explanation])).toEqual([
      [
        'a',
        100,
        'total_budget_limit',
        'total_budget is spent: this is its share where the last dollar earns as much in every funded campaign',
      ],
      ['b', 0, 'reallocate_to_winners', 'total_budget went to campaigns with better expected returns per dollar'],
    ]);
    expect(r).toMatchObject({ expected_total_spend: 100, expected_total_margin: 50 });
  });

  it('a campaign losing money at every allowed budget is cut to 0 under max_margin', () => {
    // roas 70 at 100, the only spend it has shown: it never paid -> 0. min_roas 0 lets it past the roas
    // floor. Gain 0 - (70 - 100) = 30.00
    const loser = { campaign_id: 'l', current_budget: '100.00', history: history(28, 100, 70) };
    const rec = run(request({ min_roas: 0 }), [loser]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 0,
      expected_margin_gain: 30,
      reason: 'unprofitable',
      explanation:
        'expected ROAS at the lowest daily spend it has shown ($100.00) is 70.0%: no spend it has shown paid',
    });
  });

  it("a loser at every spend it has shown is cut to 0, though the prior's curve would break even on less", () => {
    // roas 90 at 100 (a = 2.846050): the prior's shape says roas 107.0% at 50, but it never spent 50 -> 0.
    // Gain 0 - (90 - 100) = 10.00
    const rec = run(request({ min_roas: 0 }), [
      { campaign_id: 'l', current_budget: '100.00', history: history(28, 100, 90) },
    ]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 0,
      expected_margin_gain: 10,
      reason: 'unprofitable',
    });
  });
});
