import { describe, expect, it } from 'vitest';
import { calibrate, stepBandOf, wilson95, type CalibrationCheck } from '../../lib/calibration';
import { calibrationQuerySchema } from '../../services/analytics/calibration-query';

describe('calibration: accuracy by band with a Wilson 95% interval', () => {
  it('computes the Wilson score interval by hand', () => {
    // 2 of 10: p = 0.2, z = 1.96, z^2/n = 0.38416, denominator 1.38416;
    // centre (0.2 + 3.8416/20) / 1.38416 = 0.39208 / 1.38416 = 0.28326;
    // half 1.96 / 1.38416 * sqrt(0.2 * 0.8 / 10 + 3.8416 / 400) = 1.41602 * 0.16001 = 0.22658;
    // interval 0.05668 .. 0.50984.
    expect(wilson95(2, 10)).toEqual({ low: 0.057, high: 0.51 });
    // 10 of 10: centre (1 + 0.19208) / 1.38416 = 0.86123, half 1.41602 * sqrt(0.009604) = 0.13877: 0.722 .. 1.
    expect(wilson95(10, 10)).toEqual({ low: 0.722, high: 1 });
    expect(wilson95(0, 0)).toBeNull();
  });

  it('bands the step size by how far the budget moved', () => {
    const set = (fromCents: number, toCents: number) => ({ kind: 'set_daily_budget', fromCents, toCents });
    expect(stepBandOf(set(10000, 11000))).toBe('raise <=10%');
    expect(stepBandOf(set(10000, 14000))).toBe('raise 25-50%');
    expect(stepBandOf(set(10000, 7000))).toBe('cut 25-50%');
    expect(stepBandOf({ kind: 'pause', fromCents: null, toCents: null })).toBe('pause');
    expect(stepBandOf(null)).toBe('unknown');
  });

  it("flags a clearly wrong band and proposes raising that owner's scale_roas past it", () => {
    // ben: 10 scale-ups of +40% in band 100-130 (baseline 700 spend, 840 revenue = ROAS 120), 2 right.
    // Wilson 2 of 10 tops at 0.51 < 0.8 with 10 >= N = 10: clearly wrong; ben's scale_roas 90 -> the band's top 130.
    // tj: 3 scale-ups in the same band, none right: 0 of 3 tops at 0.561 (< 0.8) but 3 < 10 checks: not flagged.
    const check = (owner: string, right: boolean): CalibrationCheck => ({
      rule: 'scale_up',
      owner,
      baselineSpendCents: 70000,
      baselineRevenueCents: 84000,
      action: { kind: 'set_daily_budget', fromCents: 10000, toCents: 14000 },
      was_right: right,
    });
    const checks = [
      ...Array.from({ length: 10 }, (_, i) => check('ben', i < 2)),
      ...Array.from({ length: 3 }, () => check('tj', false)),
    ];
    const { rows, proposals } = calibrate(checks, 10, (owner) => ({ scale_roas: owner === 'ben' ? 90 : 130 }));
    expect(rows.filter((r) => r.dimension === 'owner')).toEqual([
      {
        dimension: 'owner',
        key: 'ben',
        checked: 10,
        right: 2,
        accuracy: 0.2,
        low: 0.057,
        high: 0.51,
        clearly_wrong: true,
      },
      // 0 of 3: p = 0, so the upper bound is (z^2/n) / (1 + z^2/n) = 1.28049 / 2.28049 = 0.56150 (centre 0.28075
      // plus half 0.28075), the lower 0: 0 .. 0.561.
      { dimension: 'owner', key: 'tj', checked: 3, right: 0, accuracy: 0, low: 0, high: 0.561, clearly_wrong: false },
    ]);
    // All 13 together: 2 of 13 in band 100-130, step raise 25-50%.
    expect(rows.find((r) => r.dimension === 'roas_band')).toMatchObject({ key: '100-130', checked: 13, right: 2 });
    expect(rows.find((r) => r.dimension === 'step')).toMatchObject({ key: 'raise 25-50%', checked: 13 });
    expect(proposals).toEqual([
      {
        owner: 'ben',
        field: 'scale_roas',
        from: 90,
        to: 130,
        because: { roas_band: '100-130', checked: 10, right: 2, high: 0.51 },
      },
    ]);
  });

  it('refuses bad query parameters naming the field', () => {
    expect(calibrationQuerySchema.safeParse({ as_of: '2025-13-01' }).error?.issues[0]?.path).toEqual(['as_of']);
    expect(calibrationQuerySchema.safeParse({ owner: '' }).error?.issues[0]?.path).toEqual(['owner']);
    expect(calibrationQuerySchema.safeParse({ windw: '90' }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
