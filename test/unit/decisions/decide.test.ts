import { describe, expect, it } from 'vitest';
import { campaign, decide, flat, roasDays } from './fixtures';

describe('decision matrix (METRICS.md "Decisions")', () => {
  it('winner & stable -> scale_40_percent, high confidence', () => {
    // 7 days of 100 spend, 150 revenue: roas 150.0 on 1, 3 and 7 days; CV 0; 700 spent in 7 days
    const d = decide(campaign('w-stable', flat(7, 100, 150)));
    expect(d).toMatchObject({
      bucket: 'winner',
      trend: 'stable',
      recommendation: 'scale_40_percent',
      confidence: 'high',
      roas_1d: 150,
      roas_3d: 150,
      roas_7d: 150,
      spend_3d: 300,
      spend_7d: 700,
      days_with_spend_7d: 7,
      roas_cv_7d: 0,
      launch_date: '2025-10-06',
      cooldown_until: null,
    });
    expect(d.reason).toBe(
      'Winner: 3-day ROAS 150.0% > 130%, trend stable (1d 150.0%, 3d 150.0%, 7d 150.0%): raise the budget 40%.',
    );
  });

  it('winner & improving -> scale', () => {
    // roas by day 130,130,130,130,140,150,160: 1d 160.0; 3d 450/300 = 150.0; 7d 970/700 = 138.57 -> 138.6
    // CV: mean 138.57, population sd sqrt(885.71/7) = 11.25, CV 0.081 (not volatile)
    const d = decide(campaign('w-up', roasDays([130, 130, 130, 130, 140, 150, 160])));
    expect(d).toMatchObject({
      bucket: 'winner',
      trend: 'improving',
      recommendation: 'scale_40_percent',
      roas_1d: 160,
      roas_3d: 150,
      roas_7d: 138.6,
      roas_cv_7d: 0.081,
    });
  });

  it('winner & declining -> hold', () => {
    // roas 170,160,150,145,140,135,130: 1d 130.0 < 3d 405/300 = 135.0 < 7d 1030/700 = 147.1; 3d > 130 so a winner
    const d = decide(campaign('w-down', roasDays([170, 160, 150, 145, 140, 135, 130])));
    expect(d).toMatchObject({
      bucket: 'winner',
      trend: 'declining',
      recommendation: 'hold',
      roas_1d: 130,
      roas_3d: 135,
      roas_7d: 147.1,
    });
    expect(d.reason).toBe('Winner but declining (1d 130.0%, 3d 135.0%, 7d 147.1%): hold until the trend turns.');
  });

  it('loser & stable -> pause', () => {
    // 100 spend, 70 revenue every day: roas 70.0 everywhere
    const d = decide(campaign('l-flat', flat(7, 100, 70)));
    expect(d).toMatchObject({ bucket: 'loser', trend: 'stable', recommendation: 'pause' });
    expect(d.reason).toBe('Loser: 3-day ROAS 70.0% < 80%, trend stable (1d 70.0%, 3d 70.0%, 7d 70.0%): pause.');
  });

  it('loser & declining -> pause', () => {
    // roas 79..73: 1d 73.0 < 3d (75+74+73)/3 = 74.0 < 7d 532/7 = 76.0
    const d = decide(campaign('l-down', roasDays([79, 78, 77, 76, 75, 74, 73])));
    expect(d).toMatchObject({
      bucket: 'loser',
      trend: 'declining',
      recommendation: 'pause',
      roas_1d: 73,
      roas_3d: 74,
      roas_7d: 76,
    });
  });

  it('loser & improving -> hold', () => {
    // roas 60,62,64,66,68,70,75: 1d 75.0 > 3d 213/3 = 71.0 > 7d 465/7 = 66.4
    const d = decide(campaign('l-up', roasDays([60, 62, 64, 66, 68, 70, 75])));
    expect(d).toMatchObject({
      bucket: 'loser',
      trend: 'improving',
      recommendation: 'hold',
      roas_1d: 75,
      roas_3d: 71,
      roas_7d: 66.4,
    });
    expect(d.reason).toBe('Loser but improving (1d 75.0%, 3d 71.0%, 7d 66.4%): hold to see if it recovers.');
  });

  it('average -> hold, whatever the trend', () => {
    // roas 100 flat; and 90..120 rising: 1d 120 > 3d 110 > 7d 735/7 = 105
    expect(decide(campaign('avg', flat(7, 100, 100)))).toMatchObject({
      bucket: 'average',
      trend: 'stable',
      recommendation: 'hold',
    });
    expect(decide(campaign('avg-up', roasDays([90, 95, 100, 105, 105, 110, 130])))).toMatchObject({
      // 3d (105+110+130)/3 = 115.0, 7d 735/7 = 105.0, 1d 130.0
      bucket: 'average',
      trend: 'improving',
      recommendation: 'hold',
      roas_3d: 115,
    });
  });

  it('compares the one-decimal roas people see: 130.04 is 130.0, not a winner; 79.96 is 80.0, not a loser', () => {
    // 3 days x 100 spend, revenue 130.04 each: 3d roas 390.12/300 = 130.04 -> 130.0
    expect(decide(campaign('edge-hi', flat(7, 100, 130.04))).bucket).toBe('average');
    expect(decide(campaign('edge-lo', flat(7, 100, 79.96))).bucket).toBe('average');
    // 130.05 rounds half up to 130.1 > 130
    expect(decide(campaign('edge-hi2', flat(7, 100, 130.05))).bucket).toBe('winner');
  });
});

describe('retest', () => {
  it('volatile roas -> retest, even for a winner', () => {
    // roas 50,250,50,250,50,250,150: mean 150, deviations +-100 (x6) and 0, population sd sqrt(60000/7) = 92.58
    // CV 92.58 / 150 = 0.617 > 0.5; 3d roas 450/300 = 150 would be a winner
    const d = decide(campaign('vol', roasDays([50, 250, 50, 250, 50, 250, 150])));
    expect(d).toMatchObject({ bucket: 'winner', trend: 'volatile', recommendation: 'retest', roas_cv_7d: 0.617 });
    expect(d.reason).toBe('Retest: daily ROAS is volatile (CV 0.62 > 0.5 over 7 days).');
  });

  it('a CV at or under 0.5 is not volatile', () => {
    // 3 idle days, then roas 50,150,50,150: mean 100, population sd 50, CV exactly 0.5 (not > 0.5)
    const d = decide(
      campaign('cv-half', [
        [0, 0],
        [0, 0],
        [0, 0],
        [100, 50],
        [100, 150],
        [100, 50],
        [100, 150],
      ]),
    );
    expect(d.roas_cv_7d).toBe(0.5);
    expect(d.trend).not.toBe('volatile');
  });

  it('volatility counts only the days that had spend', () => {
    // days with spend: roas 140,150,160 (mean 150, sd sqrt(200/3) = 8.165, CV 0.054); the four idle
    // days are not zeros that would make it volatile. 1d 160 > 3d 150 = 7d 450/300 = 150: stable.
    const d = decide(
      campaign('idle', [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [100, 140],
        [100, 150],
        [100, 160],
      ]),
    );
    expect(d).toMatchObject({ trend: 'stable', roas_cv_7d: 0.054, days_with_spend_7d: 3 });
  });

  it('a launch under 3 days old -> retest; launch day and the two after make it mature', () => {
    // launched 2025-10-11 (yesterday - 1): 2 days of data
    const young = decide(campaign('young', flat(2, 100, 200)));
    expect(young).toMatchObject({ recommendation: 'retest', launch_date: '2025-10-11', confidence: 'low' });
    expect(young.reason).toBe('Retest: launched 2025-10-11, under 3 days of data.');
    // launched 2025-10-10 = yesterday - 2: mature; 3d roas 200 -> winner, stable, spend 300 -> scale
    expect(decide(campaign('mature', flat(3, 100, 200)))).toMatchObject({
      recommendation: 'scale_40_percent',
      launch_date: '2025-10-10',
      confidence: 'medium',
    });
  });

  it('a launch date from the launch facts wins over the rows (rows may be only the recent window)', () => {
    const d = decide(campaign('facts', flat(7, 100, 150), { launch_date: '2025-10-11' }));
    expect(d).toMatchObject({ recommendation: 'retest', launch_date: '2025-10-11' });
  });

  it('under min_spend in the 3-day window -> retest; exactly min_spend is enough', () => {
    // 3d spend 10+10+10 = 30 < 50
    const small = decide(campaign('small', flat(7, 10, 20)));
    expect(small.recommendation).toBe('retest');
    expect(small.reason).toBe('Retest: only $30.00 spent in 3 days (min $50.00).');
    // 16.67 + 16.67 + 16.66 = 50.00 >= 50; roas 200 -> winner
    const enough = decide(campaign('enough', [...flat(4, 20, 40), [16.67, 33.34], [16.67, 33.34], [16.66, 33.32]]));
    expect(enough).toMatchObject({ spend_3d: 50, recommendation: 'scale_40_percent' });
  });

  it('guardrail: a loser below min_spend in 3 days is never paused', () => {
    // roas 50 every day but only 15 x 3 = 45 spent in the 3-day window
    expect(decide(campaign('tiny-loser', flat(7, 15, 7.5)))).toMatchObject({
      bucket: 'loser',
      recommendation: 'retest',
    });
  });

  it('lists every reason to retest at once', () => {
    // launched yesterday with 20 spent and no revenue
    expect(decide(campaign('all', [[20, 0]])).reason).toBe(
      'Retest: launched 2025-10-12, under 3 days of data; only $20.00 spent in 3 days (min $50.00).',
    );
  });

  it('a campaign that never spent -> retest, average, low confidence', () => {
    const d = decide(campaign('never', flat(7, 0, 0)));
    expect(d).toMatchObject({
      bucket: 'average',
      trend: 'stable',
      recommendation: 'retest',
      confidence: 'low',
      roas_1d: null,
      roas_3d: null,
      roas_7d: null,
      launch_date: null,
    });
    expect(d.reason).toBe('Retest: no spend yet; only $0.00 spent in 3 days (min $50.00).');
  });
});

describe('zero-spend days', () => {
  it('no spend yesterday: 1-day roas is n/a and the trend is stable (a missing day cannot be ordered)', () => {
    // 6 days of 100/150 then nothing: 3d 300/200 = 150.0, 7d 900/600 = 150.0; spend_3d 200 >= 50
    const d = decide(campaign('gap', [...flat(6, 100, 150), [0, 0]]));
    expect(d).toMatchObject({
      roas_1d: null,
      roas_3d: 150,
      roas_7d: 150,
      trend: 'stable',
      bucket: 'winner',
      days_with_spend_7d: 6,
      confidence: 'medium',
    });
  });

  it('missing rows are zero days, repeated dates are summed, rows after yesterday are ignored', () => {
    const series = campaign('rows', flat(7, 100, 150));
    series.days.push({ date: '2025-10-12', spend: '50.00', revenue: '75.00' }); // a second row for yesterday
    series.days.push({ date: '2025-10-13', spend: '9999.00', revenue: '0.00' }); // today: not known as of as_of
    series.days.splice(2, 1); // 2025-10-08 missing
    const d = decide(series);
    // yesterday 150 spend / 225 revenue; 7d spend 600 - 100 + 50 = 550 -> days with spend 6 -> medium
    expect(d).toMatchObject({
      roas_1d: 150,
      spend_3d: 350,
      spend_7d: 650,
      days_with_spend_7d: 6,
      confidence: 'medium',
    });
  });
});

describe('guardrails and overrides', () => {
  it('caps scaling at max_scale_pct and says so', () => {
    const d = decide(campaign('cap', flat(7, 100, 150)), { global: {}, owners: { alice: { scale_pct: 60 } } });
    expect(d.recommendation).toBe('scale_50_percent');
    expect(d.reason).toContain('raise the budget 50% (scale_pct 60% capped at max_scale_pct 50%)');
  });

  it('per-owner overrides apply to that owner only, matched case-insensitively, over the global ones', () => {
    const config = { global: { winner_roas: 140 }, owners: { ' Alice ': { scale_pct: 30 } } };
    // roas 145 > 140 (global override) -> winner; alice scales 30%, bob the default 40%
    expect(decide(campaign('a', flat(7, 100, 145)), config).recommendation).toBe('scale_30_percent');
    expect(decide(campaign('b', flat(7, 100, 145), { owner: 'bob' }), config).recommendation).toBe('scale_40_percent');
    // roas 135 is not > 140 for anyone
    expect(decide(campaign('c', flat(7, 100, 135)), config).bucket).toBe('average');
  });
});

describe('cooldown', () => {
  const change = (hoursBeforeNow: number) =>
    new Date(Date.parse('2025-10-13T10:00:00Z') - hoursBeforeNow * 3_600_000).toISOString();

  it('no recommendation within 72h of a budget or status change', () => {
    const d = decide(campaign('cool', flat(7, 100, 150), { changes: [change(71)] }));
    // changed 2025-10-10T11:00Z, cooldown ends 72h later: 2025-10-13T11:00Z
    expect(d).toMatchObject({
      recommendation: 'cooldown',
      bucket: 'winner',
      trend: 'stable',
      cooldown_until: '2025-10-13T11:00:00.000Z',
    });
    expect(d.reason).toBe(
      'Budget or status changed in the last 72h: no new recommendation until 2025-10-13T11:00:00.000Z.',
    );
  });

  it('exactly 72h after the change the campaign is free again', () => {
    expect(decide(campaign('free', flat(7, 100, 150), { changes: [change(72)] })).recommendation).toBe(
      'scale_40_percent',
    );
  });

  it('the latest change counts; a change after now is not known yet; epoch milliseconds work too', () => {
    const d = decide(
      campaign('many', flat(7, 100, 150), { changes: [change(200), Date.parse(change(10)), change(-5)] }),
    );
    expect(d.cooldown_until).toBe('2025-10-16T00:00:00.000Z'); // 10h before now + 72h
    expect(decide(campaign('future', flat(7, 100, 150), { changes: [change(-1)] })).recommendation).toBe(
      'scale_40_percent',
    );
  });

  it('cooldown wins over retest', () => {
    expect(decide(campaign('young-cool', flat(1, 100, 150), { changes: [change(1)] })).recommendation).toBe('cooldown');
  });
});

describe('confidence', () => {
  it('high needs 7 days with spend and $500 in them; medium 3+ days; else low', () => {
    // 7 x 71.43 = 500.01
    expect(decide(campaign('h', flat(7, 71.43, 100))).confidence).toBe('high');
    // 7 x 71.42 = 499.94 < 500
    expect(decide(campaign('m7', flat(7, 71.42, 100))).confidence).toBe('medium');
    // 6 days with spend, 6000 spent: still not 7 days
    expect(decide(campaign('m6', [[0, 0], ...flat(6, 1000, 1500)])).confidence).toBe('medium');
    expect(decide(campaign('m3', flat(3, 100, 150))).confidence).toBe('medium');
    expect(
      decide(
        campaign(
          'l2',
          [
            [0, 0],
            [0, 0],
            [0, 0],
            [0, 0],
            [0, 0],
            [100, 150],
            [100, 150],
          ],
          { launch_date: '2025-09-01' },
        ),
      ).confidence,
    ).toBe('low');
  });
});
