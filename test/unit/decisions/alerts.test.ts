import { describe, expect, it } from 'vitest';
import { campaign, evaluate, flat, roasDays } from './fixtures';

/**
 * The seed example: yesterday 696.00 spend, 974.40 revenue (roas 140.0, margin 278.40); six days
 * before at roas 140.0 on 100 spend. 1/3/7-day roas are all 140.0: a stable winner.
 */
const seed = (id = 'seed', extra = {}) => campaign(id, [...flat(6, 100, 140), [696, 974.4]], extra);

describe('scale_up', () => {
  it('the seed example: gain 278.40 * 0.40 = 111.36, high priority, verbatim reason', () => {
    const { alerts, decisions } = evaluate([seed()]);
    expect(decisions[0]!.recommendation).toBe('scale_40_percent');
    expect(alerts).toEqual([
      {
        type: 'scale_up',
        priority: 'high', // 278.40 >= 100
        entity_type: 'campaign',
        entity_id: 'seed',
        campaign_id: 'seed',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'alice',
        current_roas: 140,
        recommendation: 'increase_budget_40_percent',
        potential_margin_gain: 111.36,
        reason: 'ROAS >130% for 3+ days',
      },
    ]);
  });

  it('priority is high from a $100.00 margin yesterday, medium below', () => {
    // yesterday 100 spend, 199.99 revenue: margin 99.99, gain 99.99 * 0.4 = 39.996 -> 40.00
    const medium = evaluate([campaign('m', [...flat(6, 100, 200), [100, 199.99]])]).alerts[0]!;
    expect(medium).toMatchObject({ priority: 'medium', potential_margin_gain: 40, current_roas: 200 });
    // margin exactly 100.00 -> high; gain 40.00
    const high = evaluate([campaign('h', flat(7, 100, 200))]).alerts[0]!;
    expect(high).toMatchObject({ priority: 'high', potential_margin_gain: 40 });
  });

  it('needs spend >= min_spend on each of the 3 days', () => {
    // 2025-10-11 spent 49.99 (roas 200.0): the streak breaks
    expect(evaluate([campaign('s', [...flat(5, 100, 200), [49.99, 99.98], [100, 200]])]).alerts).toEqual([]);
    // exactly 50.00 is enough
    expect(evaluate([campaign('s', [...flat(5, 100, 200), [50, 100], [100, 200]])]).alerts).toHaveLength(1);
  });

  it('needs roas > 130 on each of the 3 days: a day at exactly 130.0 breaks it', () => {
    expect(evaluate([campaign('r', [...flat(5, 100, 200), [100, 130], [100, 200]])]).alerts).toEqual([]);
    // 130.05 rounds to 130.1 > 130
    expect(evaluate([campaign('r', [...flat(5, 100, 200), [100, 130.05], [100, 200]])]).alerts).toHaveLength(1);
  });

  it('a winner in decline keeps its streak out of the alerts, in overruled', () => {
    // roas 180,175,170,165,150,140,135: 1d 135.0 < 3d 425/3 = 141.7 < 7d 1115/7 = 159.3 -> hold
    // streak 150, 140, 135 > 130 with 100 spend; margin yesterday 35 -> medium, gain 35 * 0.4 = 14.00
    const { alerts, overruled, decisions } = evaluate([campaign('dec', roasDays([180, 175, 170, 165, 150, 140, 135]))]);
    expect(decisions[0]!.recommendation).toBe('hold');
    expect(alerts).toEqual([]);
    expect(overruled).toEqual([
      {
        decision: 'hold',
        alert: expect.objectContaining({
          type: 'scale_up',
          entity_type: 'campaign',
          entity_id: 'dec',
          campaign_id: 'dec',
          adset_id: null,
          audience_type: null,
          revenue_source: null,
          priority: 'medium',
          potential_margin_gain: 14,
        }),
      },
    ]);
  });

  it('no alert inside the cooldown', () => {
    const { alerts, overruled } = evaluate([seed('cool', { changes: ['2025-10-13T09:00:00Z'] })]);
    expect(alerts).toEqual([]);
    expect(overruled.map((o) => o.decision)).toEqual(['cooldown']);
  });

  it('the gain uses the percent actually recommended (scale_pct capped by max_scale_pct)', () => {
    const { alerts } = evaluate([seed()], { global: {}, owners: { alice: { scale_pct: 60 } } });
    // 278.40 * 0.50 = 139.20
    expect(alerts[0]).toMatchObject({ recommendation: 'increase_budget_50_percent', potential_margin_gain: 139.2 });
  });
});

describe('cut_loss', () => {
  it('5 days under roas 80 with a negative margin: daily_loss = loss / 5, medium up to $500', () => {
    // 200 spend, 100 revenue a day: roas 50.0, margin -100 a day, -500 over 5 days (not > 500)
    const { alerts, decisions } = evaluate([campaign('cut', flat(7, 200, 100))]);
    expect(decisions[0]!.recommendation).toBe('pause');
    expect(alerts).toEqual([
      {
        type: 'cut_loss',
        priority: 'medium',
        entity_type: 'campaign',
        entity_id: 'cut',
        campaign_id: 'cut',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'alice',
        current_roas: 50,
        recommendation: 'pause_campaign',
        daily_loss: 100, // 500 / 5
        reason: 'ROAS <80% for 5 days, negative margin',
      },
    ]);
  });

  it('high once the loss exceeds $500', () => {
    // yesterday 200.01 spend: loss 500.01 > 500; daily_loss 500.01 / 5 = 100.002 -> 100.00
    const alert = evaluate([campaign('cut', [...flat(6, 200, 100), [200.01, 100]])]).alerts[0]!;
    expect(alert).toMatchObject({ priority: 'high', daily_loss: 100 });
  });

  it('daily_loss is rounded to cents', () => {
    // revenue 33.33 x 3 + 33.34 x 2 = 166.67 on 500 spend: loss 333.33, / 5 = 66.666 -> 66.67
    const days: Array<[number, number]> = [
      [100, 33.33],
      [100, 33.33],
      [100, 33.33],
      [100, 33.33],
      [100, 33.33],
      [100, 33.34],
      [100, 33.34],
    ];
    expect(evaluate([campaign('round', days)]).alerts[0]).toMatchObject({ daily_loss: 66.67 });
  });

  it('a day without spend breaks the streak (a paused day has no roas)', () => {
    const { alerts, decisions } = evaluate([campaign('gap', [...flat(3, 200, 100), [0, 0], ...flat(3, 200, 100)])]);
    expect(decisions[0]!.recommendation).toBe('pause');
    expect(alerts).toEqual([]);
  });

  it('a loser recovering keeps its streak out of the alerts, in overruled', () => {
    // roas 40,45,50,55,60,65,75: 1d 75.0 > 3d 200/3 = 66.7 > 7d 390/7 = 55.7 -> improving -> hold
    // last 5 days all < 80, margin -50-45-40-35-25 = -195 -> medium, daily_loss 39.00
    const { alerts, overruled } = evaluate([campaign('rec', roasDays([40, 45, 50, 55, 60, 65, 75]))]);
    expect(alerts).toEqual([]);
    expect(overruled).toEqual([
      { decision: 'hold', alert: expect.objectContaining({ type: 'cut_loss', daily_loss: 39, priority: 'medium' }) },
    ]);
  });
});

describe('alert order and overrides', () => {
  it('high before medium, then gain or loss descending, then campaign_id', () => {
    const { alerts } = evaluate([
      seed('a1'), // scale_up high, gain 111.36
      campaign('b1', flat(7, 300, 100)), // cut_loss: loss 5 x 200 = 1000 > 500 -> high, daily 200.00
      campaign('c1', [...flat(6, 100, 200), [100, 199.99]]), // scale_up medium, gain 40.00
      campaign('d1', flat(7, 200, 100)), // cut_loss medium, daily 100.00
      campaign('a0', flat(7, 100, 60)), // cut_loss: loss 5 x 40 = 200 -> medium, daily 40.00 (ties c1, a0 < c1)
    ]);
    expect(
      alerts.map((a) => [a.campaign_id, a.priority, a.type === 'scale_up' ? a.potential_margin_gain : a.daily_loss]),
    ).toEqual([
      ['b1', 'high', 200],
      ['a1', 'high', 111.36],
      ['d1', 'medium', 100],
      ['a0', 'medium', 40],
      ['c1', 'medium', 40],
    ]);
  });

  it("per-owner thresholds change that buyer's alerts only, and the reason says which", () => {
    const config = { global: {}, owners: { bob: { scale_roas: 150, cut_days: 3, cut_high_loss: 100 } } };
    // roas 140 streak: alerted for alice, not for bob (needs > 150)
    const scale = evaluate([seed('alice-1'), seed('bob-1', { owner: 'bob' })], config).alerts;
    expect(scale.map((a) => a.campaign_id)).toEqual(['alice-1']);

    // 4 days at roas 100, then 3 at 50: 1d 50 = 3d 50 (stable), 3d < 80 -> pause for both.
    // Only bob's 3-day rule sees a streak: loss 3 x 50 = 150 > 100 -> high, daily 50.00
    const days: Array<[number, number]> = [...flat(4, 100, 100), ...flat(3, 100, 50)];
    const cut = evaluate([campaign('alice-2', days), campaign('bob-2', days, { owner: 'Bob' })], config).alerts;
    expect(cut).toEqual([
      {
        type: 'cut_loss',
        priority: 'high',
        entity_type: 'campaign',
        entity_id: 'bob-2',
        campaign_id: 'bob-2',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'Bob',
        current_roas: 50,
        recommendation: 'pause_campaign',
        daily_loss: 50,
        reason: 'ROAS <80% for 3 days, negative margin',
      },
    ]);
  });

  it("reads days further back than 7 when an owner's streak is longer", () => {
    // cut_days 10: ten days at roas 50 on 100 spend; loss 500 -> medium, daily 50.00
    const config = { global: { cut_days: 10 }, owners: {} };
    expect(evaluate([campaign('long', flat(10, 100, 50))], config).alerts[0]).toMatchObject({
      daily_loss: 50,
      reason: 'ROAS <80% for 10 days, negative margin',
    });
    // one good day 9 days ago breaks it
    expect(evaluate([campaign('long', [[100, 100], ...flat(9, 100, 50)])], config).alerts).toEqual([]);
  });

  it('is reproducible: the same inputs at the same now give the same answer', () => {
    const input = [seed('x'), campaign('y', flat(7, 200, 100))];
    expect(evaluate(input)).toEqual(evaluate(input));
  });
});
