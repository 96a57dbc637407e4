import { describe, expect, it } from 'vitest';
import { compareWithControls, roasBucketOf } from '../../lib/outcome-control';

const week = (spend: number, revenue: number) => ({ spendCents: spend * 100, revenueCents: revenue * 100, days: 7 });

describe('right_vs_control: the change against matched unchanged entities (difference in differences)', () => {
  it('buckets a baseline week by ROAS: <80, 80-100, 100-130, >=130; none without spend', () => {
    expect(roasBucketOf(week(100, 79))).toBe('<80');
    expect(roasBucketOf(week(100, 80))).toBe('80-100');
    expect(roasBucketOf(week(100, 129))).toBe('100-130');
    expect(roasBucketOf(week(100, 130))).toBe('>=130');
    expect(roasBucketOf(week(0, 0))).toBeNull();
  });

  it('two matched controls: DiD per day at the changed spend, a third in another bucket ignored', () => {
    // changed: before 700 spend / 980 revenue = 100/day spend, 40/day margin, ROAS 140 (>=130);
    //          after 980 / 1323 = 49/day margin; its own move +9/day.
    // control a: before 350 / 490 (ROAS 140): 50/day spend, 20/day margin; after 350 / 455: 15/day; -5/day,
    //            per dollar of spend -5 / 50 = -0.1
    // control b: before 1400 / 1890 (ROAS 135): 200/day spend, 70/day margin; after 1400 / 1960: 80/day; +10/day,
    //            per dollar +10 / 200 = +0.05
    // control c: ROAS 90 (80-100), not matched.
    // mean per dollar (-0.1 + 0.05) / 2 = -0.025; expected at 100/day: -2.5; DiD = 9 - (-2.5) = 11.5 > 0: right.
    const r = compareWithControls('raise', { before: week(700, 980), after: week(980, 1323) }, [
      { id: 'a', before: week(350, 490), after: week(350, 455) },
      { id: 'b', before: week(1400, 1890), after: week(1400, 1960) },
      { id: 'c', before: week(700, 630), after: week(700, 100) },
    ]);
    expect(r).toEqual({ control_count: 2, did_margin_per_day: 11.5, right_vs_control: true });
  });

  it('a raise that only rode the market up is wrong against its controls though right before/after', () => {
    // changed +9/day as above; one control before 700 / 980 (100/day, 40/day), after 700 / 1071: 53/day, +13/day,
    // per dollar 0.13, expected at 100/day +13; DiD = 9 - 13 = -4: wrong.
    const r = compareWithControls('raise', { before: week(700, 980), after: week(980, 1323) }, [
      { id: 'a', before: week(700, 980), after: week(700, 1071) },
    ]);
    expect(r).toEqual({ control_count: 1, did_margin_per_day: -4, right_vs_control: false });
  });

  it('no control matched: count 0, DiD and verdict null', () => {
    expect(compareWithControls('cut', { before: week(700, 490), after: week(0, 0) }, [])).toEqual({
      control_count: 0,
      did_margin_per_day: null,
      right_vs_control: null,
    });
    // A candidate in another bucket (ROAS 140 vs the changed 70) does not count.
    expect(
      compareWithControls('cut', { before: week(700, 490), after: week(0, 0) }, [
        { id: 'a', before: week(700, 980), after: week(700, 980) },
      ]).control_count,
    ).toBe(0);
  });
});
