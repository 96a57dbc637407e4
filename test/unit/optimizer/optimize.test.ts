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
 */
const steady = (id: string, current: string | null = '100.00'): OptimizerCampaign => ({
  campaign_id: id,
  current_budget: current,
  history: history(28, 100, 150),
});

describe('budget optimiser, one campaign with a known curve', () => {
  it('raises a 150% roas campaign as far as max_change_pct allows (50%: 100 -> 150)', () => {
    const r = run(request(), [steady('a')]);
    // at 150: revenue a * 150^0.75 = 203.31, roas 135.5, margin 53.31; at 100 margin 50.00 -> gain 3.31
    expect(r.recommendations).toEqual([
      {
        entity_type: 'campaign',
        entity_id: 'a',
        campaign_id: 'a',
        adset_id: null,
        current_budget: 100,
        current_budget_source: 'meta', // given, as the last sync read it
        recommended_budget: 150,
        expected_margin_gain: 3.31,
        confidence: 1, // 28 days (1) and an exact fit (1)
        confidence_label: 'high',
        reason: 'at_max_change',
        explanation: 'moved as far as max_change_pct (50%) allows from $100.00',
        expected_roas: 135.5,
        expected_margin: 53.31,
        curve: {
          model: 'revenue = a * spend^b',
          a: 4.743416,
          b: 0.75,
          days: 28,
          fit_error: 0,
          confidence: 1,
          confidence_label: 'high',
        },
      },
    ]);
    expect(r.constraints).toEqual({ min_roas: 100, max_daily_spend_per_campaign: 1000, max_change_pct: 50 });
    expect(r).toMatchObject({
      optimization_goal: 'max_margin',
      expected_total_spend: 150,
      expected_total_margin: 53.31,
      expected_total_revenue: 203.31,
      kept_current_allocation: false,
    });
    expect(budgetResponseSchema.parse(r)).toEqual(r);
    expect(r.model).toBe(
      'revenue = a * spend^b (0.1 <= b <= 1), fitted per campaign on its 28 days ending 2025-10-12: b by least squares on logs shrunk towards 0.75, a so the curve matches the revenue actually made',
    );
  });

  it('stops at the margin-optimal spend when allowed further: (0.75 a)^4 = 160.18, roas 133.3 = 1/0.75', () => {
    const rec = run(request({ max_change_pct: 100 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 160.18,
      expected_roas: 133.3,
      expected_margin: 53.39,
      reason: 'margin_optimal',
    });
  });

  it('min_roas caps the budget where expected roas meets it: (a / 1.4)^4 = 131.78 for 140%', () => {
    // margin at 131.78: 184.49 - 131.78 = 52.71, gain 2.71
    const rec = run(request({ min_roas: 140 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 131.78,
      expected_roas: 140,
      expected_margin: 52.71,
      expected_margin_gain: 2.71,
      reason: 'at_min_roas',
      explanation: 'as far as expected ROAS stays at or above min_roas 140.0%',
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
    // lowest allowed: 100 - 50% = 50; roas(50) = 474.34 / 50^0.25 = 178.4% < 200%. Margin 0 vs 50 now: -50.00
    const rec = run(request({ min_roas: 200 }), [steady('a')]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 0,
      expected_roas: null,
      expected_margin: 0,
      expected_margin_gain: -50,
      reason: 'below_min_roas',
      explanation: 'expected ROAS at its lowest allowed budget ($50.00) is 178.4%, below min_roas 200%',
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
    // 100 + 100% = 200: revenue a * 200^0.75 = 252.27, roas 126.1, margin 52.27
    const r = run(request({ max_change_pct: 100 }, { optimization_goal: 'max_revenue' }), [steady('a')]);
    expect(r).toMatchObject({
      expected_total_spend: 200,
      expected_total_revenue: 252.27,
      expected_total_margin: 52.27,
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
    // a: roas 150 at 100, b: roas 120 at 100 (a_b = 120 / 31.6228 = 3.794733); both may go to 50..150.
    // With 60 only one fits at its 50 floor. Margin per dollar at 50: a (89.19 - 50) / 50 = 0.78,
    // b (71.35 - 50) / 50 = 0.43 -> a, which then takes all 60 (its marginal margin at 60 is 0.28 > 0).
    // margin a at 60: 4.743416 * 60^0.75 - 60 = 102.26 - 60 = 42.26
    const b = { campaign_id: 'b', current_budget: '100.00', history: history(28, 100, 120) };
    const r = run(request({}, { total_budget: 60 }), [b, steady('a')]);
    expect(r.recommendations.map((x) => [x.campaign_id, x.recommended_budget, x.reason, x.explanation])).toEqual([
      [
        'a',
        60,
        'total_budget_limit',
        'total_budget is spent: this is its share where the last dollar earns as much in every funded campaign',
      ],
      ['b', 0, 'reallocate_to_winners', 'total_budget went to campaigns with better expected returns per dollar'],
    ]);
    expect(r).toMatchObject({ expected_total_spend: 60, expected_total_margin: 42.26 });
  });

  it('a campaign losing money at every allowed budget is cut to 0 under max_margin', () => {
    // roas 70 at 100 (a = 2.213594); at its lowest allowed 50: 2.213594 * 50^0.75 = 41.62 < 50, and
    // margin only falls with more spend -> 0. min_roas 0 lets it past the roas floor. Gain 0 - (70 - 100) = 30.00
    const loser = { campaign_id: 'l', current_budget: '100.00', history: history(28, 100, 70) };
    const rec = run(request({ min_roas: 0 }), [loser]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 0,
      expected_margin_gain: 30,
      reason: 'unprofitable',
      explanation: 'expected to lose money at every allowed budget ($50.00 to $150.00)',
    });
  });

  it('a loser that breaks even on less spend is cut to its lowest allowed budget, not paused', () => {
    // roas 90 at 100 (a = 2.846050) rises as spend falls: at 50, 53.51 revenue, roas 107.0, margin 3.51
    // (its margin-optimal spend (0.75 a)^4 = 20.76 is below the floor). Gain 3.51 - (90 - 100) = 13.51
    const rec = run(request({ min_roas: 0 }), [
      { campaign_id: 'l', current_budget: '100.00', history: history(28, 100, 90) },
    ]).recommendations[0]!;
    expect(rec).toMatchObject({
      recommended_budget: 50,
      expected_roas: 107,
      expected_margin: 3.51,
      expected_margin_gain: 13.51,
      reason: 'at_max_change',
    });
  });
});
