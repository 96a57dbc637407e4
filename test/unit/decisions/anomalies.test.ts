import { describe, expect, it } from 'vitest';
import { campaign, evaluate, flat } from './fixtures';

/** Spend per day with revenue at 1.5x, so roas stays 150.0 and only spend and revenue move. */
const steady = (spends: number[]): Array<[number, number]> => spends.map((s) => [s, s * 1.5]);
const flags = (days: Array<[number, number]>, extra = {}, anomalyDays = 1) =>
  evaluate([campaign('x', days, extra)], undefined, { anomaly_days: anomalyDays }).anomalies.map(
    ({ campaign_id: _c, owner: _o, ...f }) => f,
  );

describe('anomaly flags: more than 3 sd from the trailing 7-day median', () => {
  it('flags a spike in spend and revenue; roas (flat) is not flagged', () => {
    // trailing spend 100,102,98,100,101,99,100: median 100, mean 100, population sd sqrt(10/7) = 1.195
    // yesterday 110: |110 - 100| = 10 > 3 x 1.195 = 3.59 -> 10 / 1.195 = 8.4 sd
    // revenue is 1.5x: median 150, sd 1.793, |165 - 150| = 15 > 5.38
    expect(flags(steady([100, 102, 98, 100, 101, 99, 100, 110]))).toEqual([
      {
        date: '2025-10-12',
        metric: 'spend',
        rule: 'deviation',
        value: 110,
        baseline: 100,
        sd: 1.2,
        change_pct: null,
        description: 'spend $110.00 is 8.4 sd above the trailing 7-day median $100.00',
      },
      {
        date: '2025-10-12',
        metric: 'revenue',
        rule: 'deviation',
        value: 165,
        baseline: 150,
        sd: 1.79,
        change_pct: null,
        description: 'revenue $165.00 is 8.4 sd above the trailing 7-day median $150.00',
      },
    ]);
  });

  it('flags a fall below as well, and nothing within 3 sd', () => {
    // 90: 10 below the median (8.4 sd), and a 10% fall is not a drop
    expect(flags(steady([100, 102, 98, 100, 101, 99, 100, 90])).map((f) => f.description)).toEqual([
      'spend $90.00 is 8.4 sd below the trailing 7-day median $100.00',
      'revenue $135.00 is 8.4 sd below the trailing 7-day median $150.00',
    ]);
    // 103: 3 < 3.59 (spend); revenue 154.50: 4.5 < 5.38
    expect(flags(steady([100, 102, 98, 100, 101, 99, 100, 103]))).toEqual([]);
  });

  it('a flat week (sd 0) flags no deviation', () => {
    // 7 x 100 then 150: no spread to be unusual against; not a drop either
    expect(flags(steady([100, 100, 100, 100, 100, 100, 100, 150]))).toEqual([]);
  });

  it('the trailing week starts at the launch: pre-launch zeros are not data', () => {
    // launched 2025-10-08: trailing 100,102,98,100 (median 100, sd sqrt(8/4) = 1.414); 110 is 7.1 sd above
    const days = [...flat(4, 0, 0), ...steady([100, 102, 98, 100, 110])];
    expect(flags(days).filter((f) => f.metric === 'spend')).toEqual([
      {
        date: '2025-10-12',
        metric: 'spend',
        rule: 'deviation',
        value: 110,
        baseline: 100,
        sd: 1.41,
        change_pct: null,
        description: 'spend $110.00 is 7.1 sd above the trailing 7-day median $100.00',
      },
    ]);
    // launched 2025-10-10: two trailing days are too few to judge (at least 3)
    expect(flags([...flat(6, 0, 0), ...steady([100, 102, 200])])).toEqual([]);
  });
});

describe('anomaly flags: a drop of more than 30% day over day', () => {
  it('revenue 200.00 -> 139.99 is a 30.005% drop; -> 140.00 (exactly 30%) is not', () => {
    // roas 200.0 -> 140.0 (139.99% rounds to 140.0) is exactly 30%: not flagged; spend flat
    expect(flags([...flat(7, 100, 200), [100, 139.99]])).toEqual([
      {
        date: '2025-10-12',
        metric: 'revenue',
        rule: 'drop',
        value: 139.99,
        baseline: 200,
        sd: null,
        change_pct: 30,
        description: 'revenue fell 30.0% from $200.00 the day before to $139.99',
      },
    ]);
    expect(flags([...flat(7, 100, 200), [100, 140]])).toEqual([]);
  });

  it('roas drops count on one-decimal roas of days that both had spend', () => {
    // 150 -> 100 revenue on 100 spend: revenue and roas both fall 50/150 = 33.3%
    expect(
      flags([...flat(7, 100, 150), [100, 100]]).map((f) => [f.metric, f.rule, f.baseline, f.value, f.change_pct]),
    ).toEqual([
      ['revenue', 'drop', 150, 100, 33.3],
      ['roas', 'drop', 150, 100, 33.3],
    ]);
  });

  it('a campaign that stopped spending drops 100% in spend and revenue (roas has no value)', () => {
    expect(flags([...flat(7, 100, 150), [0, 0]]).map((f) => [f.metric, f.rule, f.change_pct])).toEqual([
      ['spend', 'drop', 100],
      ['revenue', 'drop', 100],
    ]);
  });

  it('anomaly_days looks further back than yesterday', () => {
    // revenue 200 daily, 100 on 2025-10-10: that day drops 50% in revenue and roas (the 7 days
    // before it are flat, so no deviation); the recovery after it is not a drop, and on 10-11 and
    // 10-12 the trailing median is still 200 (|200 - 200| = 0)
    const days: Array<[number, number]> = [...flat(8, 100, 200), [100, 100], [100, 200], [100, 200]];
    expect(flags(days)).toEqual([]);
    expect(flags(days, {}, 3).map((f) => [f.date, f.metric, f.rule, f.change_pct])).toEqual([
      ['2025-10-10', 'revenue', 'drop', 50],
      ['2025-10-10', 'roas', 'drop', 50],
    ]);
  });
});
