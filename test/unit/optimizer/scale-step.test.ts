import { describe, expect, it } from 'vitest';
import { cautiousOptimum, scaleStepCents } from '../../../lib/optimizer/scale-step';

/** 28 days at a steady $300/day, revenue alternating high and low around `mean` by the factor 11/9 (330/270). */
function steady(high: number, low: number) {
  return Array.from({ length: 28 }, (_, i) => ({ spend: 300_00, revenue: (i % 2 === 0 ? high : low) * 100 }));
}

/*
 * Steady spend: Sxx = 0, so b = (0 + 1 * 0.75) / (0 + 1) = 0.75 (the prior).
 * Log revenue sits +-d around its mean, d = ln(330 / 270) / 2 = ln(1.22222) / 2 = 0.200671 / 2 = 0.100335
 * (the same for 561/459 and 825/675: each pair has the ratio 11/9).
 * sigma^2 = 28 * d^2 / (28 - 2) = 28 * 0.0100672 / 26 = 0.0108416, sigma = 0.104123;
 * se = sigma / sqrt(0 + 1) = 0.104123; bLo = 0.75 - 1.2816 * 0.104123 = 0.75 - 0.133444 = 0.616556.
 * The curve through the mean: a = mean / 300^bLo, so roas(300) = mean / 300 = r, and the optimum solves
 * r * (s / 300)^(bLo - 1) * bLo = 1: s* = 300 * (r * bLo)^(1 / (1 - bLo)), 1 / (1 - bLo) = 1 / 0.383444 = 2.607943.
 */
describe('cautiousOptimum: the optimal budget at the slope the data beats 9 times in 10', () => {
  it('takes the prior minus 1.2816 standard errors when the spend never moved', () => {
    const c = cautiousOptimum(steady(330, 270))!;
    expect(c.b).toBeCloseTo(0.75, 10);
    expect(c.se).toBeCloseTo(0.104123, 5);
    expect(c.bLo).toBeCloseTo(0.616556, 5);
    // r = 1.0: s* = 300 * 0.616556^2.607943 = 300 * e^(2.607943 * -0.483606) = 300 * e^(-1.261217) = $84.99
    expect(c.optimumCents / 100).toBeCloseTo(84.99, 1);
  });

  it('puts a 250% campaign optimum far above today, a 160% one below it', () => {
    // r = 2.5: s* = 300 * (2.5 * 0.616556)^2.607943 = 300 * 1.541390^2.607943
    //   = 300 * e^(2.607943 * 0.432684) = 300 * 3.09076 = $927.23
    expect(cautiousOptimum(steady(825, 675))!.optimumCents / 100).toBeCloseTo(927.23, 0);
    // r = 1.6: s* = 300 * (1.6 * 0.616556)^2.607943 = 300 * 0.986490^2.607943 = 300 * 0.965148 = $289.54
    // (the prior's own slope 0.75 would have said 300 * 1.2^4 = $622.08: twice today's budget)
    expect(cautiousOptimum(steady(528, 432))!.optimumCents / 100).toBeCloseTo(289.54, 1);
  });

  it('needs three days of spend and revenue', () => {
    expect(cautiousOptimum(steady(330, 270).slice(0, 2))).toBeNull();
  });
});

describe('scaleStepCents: the smallest of the cautious optimum, one 20% step and the cap; held under the minimum step', () => {
  it('holds a steady 160% campaign the prior would have doubled', () => {
    expect(scaleStepCents(steady(528, 432), 300_00, 420_00)).toBeNull();
  });

  it('steps a 250% campaign by one exploration step, 20%, not the alert 40%', () => {
    // min($927.23, $300 * 1.2 = $360, $420) = $360
    expect(scaleStepCents(steady(825, 675), 300_00, 420_00)).toBe(360_00);
    // the cap wins when it is lower: min($927.23, $360, $330) = $330, 10% >= the 10% minimum
    expect(scaleStepCents(steady(825, 675), 300_00, 330_00)).toBe(330_00);
  });

  it('steps a 170% campaign only to its cautious optimum, and holds it under a larger minimum step', () => {
    // r = 1.7 (561/459): s* = 300 * (1.7 * 0.616556)^2.607943 = 300 * 1.048145^2.607943 = 300 * 1.130468 = $339.14,
    // 13.0% above $300: above the 10% minimum, below 20%, so the step stops there (floored to the cent).
    const to = scaleStepCents(steady(561, 459), 300_00, 420_00)!;
    expect(to / 100).toBeCloseTo(339.14, 1);
    expect(scaleStepCents(steady(561, 459), 300_00, 420_00, 15)).toBeNull();
  });
});
