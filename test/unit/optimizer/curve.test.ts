import { describe, expect, it } from 'vitest';
import { fitCurve, revenueCents, roasAt } from '../../../lib/optimizer';

/** Days of [spend, revenue] in dollars, as cents. */
const days = (pairs: Array<[number, number]>) =>
  pairs.map(([spend, revenue]) => ({ spend: Math.round(spend * 100), revenue: Math.round(revenue * 100) }));
const repeat = (n: number, spend: number, revenue: number) => days(Array.from({ length: n }, () => [spend, revenue]));

describe('spend curve: revenue = a * spend^b', () => {
  it('constant spend says nothing about the slope: b is the prior 0.75, a matches the revenue', () => {
    // Sxx = Sxy = 0 -> b = (0 + 1 * 0.75) / (0 + 1) = 0.75; a = 7 * 150 / (7 * 100^0.75) = 150 / 31.6228 = 4.743416
    const curve = fitCurve(repeat(7, 100, 150))!;
    expect(curve.b).toBe(0.75);
    expect(curve.a).toBeCloseTo(4.743416, 6);
    expect(curve.fit_error).toBeCloseTo(0, 12); // every day predicted exactly
    // confidence min(days 7 -> 0.4, fit 0 -> 1, spread 0 / (0 + 1) = 0 -> 0) = 0: the slope is the prior's
    expect(curve).toMatchObject({
      model: 'revenue = a * spend^b',
      days: 7,
      confidence: 0,
      confidence_label: 'low',
    });
    expect(revenueCents(curve, 10000)).toBeCloseTo(15000, 6); // 150.00 back at 100.00
    expect(roasAt(curve, 10000)).toBeCloseTo(150, 9);
  });

  it('a spread of spend pulls b towards the data (true b = 0.5 here), shrunk by the prior', () => {
    // 4 days 100 -> 100, 4 days 400 -> 200 (revenue = 10 * sqrt(spend)).
    // log deviations +-ln2 in spend, +-ln2/2 in revenue: Sxx = 8 ln2^2 = 3.843624, Sxy = 8 ln2 * ln2/2 = 1.921812
    // b = (1.921812 + 0.75) / (3.843624 + 1) = 0.551614
    // a = 1200 / (4 * 100^b + 4 * 400^b) = 1200 / (4 * 12.68338 + 4 * 27.24852) = 7.512939
    // predictions 95.288 and 204.712: residuals +-4.712, RMSE 4.712 / mean 150 = 0.031414
    const curve = fitCurve([...repeat(4, 100, 100), ...repeat(4, 400, 200)])!;
    expect(curve.b).toBeCloseTo(0.551614, 6);
    expect(curve.a).toBeCloseTo(7.512939, 5);
    expect(curve.fit_error).toBeCloseTo(0.031413, 5);
    // 8 days: medium. days 8 -> 0.4 + 0.4 * 1/7 = 0.457143; fit 0.031414 -> 1 - 0.2 * 0.031414 / 0.25 = 0.974869;
    // spread 3.843624 / 4.843624 = 0.793545 -> 0.8 + 0.2 * 0.293545 / 0.5 = 0.917418; min -> 0.46
    expect(curve).toMatchObject({ confidence: 0.46, confidence_label: 'medium' });
  });

  it('zero-revenue days lower a (the log fit cannot see them) and the fit error shows the noise', () => {
    // 5 days 100 -> 150, 2 days 100 -> 0: b = 0.75 (one spend level); a = 750 / (7 * 31.6228) = 3.388155,
    // so the curve predicts the mean 107.14 at 100. RMSE sqrt((5 * 42.857^2 + 2 * 107.143^2) / 7) = 67.763,
    // / 107.143 = 0.632456 > 0.5 -> low
    const curve = fitCurve([...repeat(5, 100, 150), ...repeat(2, 100, 0)])!;
    expect(curve.a).toBeCloseTo(3.388155, 6);
    expect(curve.fit_error).toBeCloseTo(0.632456, 6);
    // days 7 -> 0.4; fit 0.632456 -> 0.4 - 0.4 * (0.632456 - 0.5) / 0.5 = 0.294035; one spend level:
    // spread 0 -> 0; min -> 0
    expect(curve).toMatchObject({ confidence: 0, confidence_label: 'low' });
  });

  it('keeps b in [0.1, 1]: more spend never earns less, and never more than proportionally', () => {
    // revenue falls 200 -> 50 as spend rises 100 -> 400: b = (-8 ln2 * ln2 + 0.75) / 4.843624 = -0.6387 -> 0.1
    expect(fitCurve([...repeat(4, 100, 200), ...repeat(4, 400, 50)])!.b).toBe(0.1);
    // revenue = spend^2 / 100: b = (8 ln2 * 2 ln2 + 0.75) / 4.843624 = 1.7419 -> 1
    expect(fitCurve([...repeat(4, 100, 100), ...repeat(4, 400, 1600)])!.b).toBe(1);
  });

  it('high confidence with 14+ days, a fit error <= 0.25 and spread spend; nothing to fit without spend', () => {
    // exact fits of revenue = 10 sqrt(spend) at 100 and 400 (spread 0.7935 -> 0.917418, see above), so the
    // days decide: 14 -> 0.8; 13 -> 0.4 + 0.4 * 6/7 = 0.742857 (13 days: 7 at 100, 6 at 400: Sxx = 13 * 7/13 * 6/13
    // * (ln 4)^2 = 6.208930, spread 0.861283 -> 0.944513)
    const spread = (n: number, m: number) => [...repeat(n, 100, 100), ...repeat(m, 400, 200)];
    expect(fitCurve(spread(7, 7))).toMatchObject({ confidence: 0.8, confidence_label: 'high' });
    expect(fitCurve(spread(7, 6))).toMatchObject({ confidence: 0.74, confidence_label: 'medium' });
    // the same days at one spend: exact, 14 days, but spread 0: low
    expect(fitCurve(repeat(14, 100, 150))).toMatchObject({ confidence: 0, confidence_label: 'low' });
    expect(fitCurve(repeat(7, 0, 0))).toBeNull();
    // spend but never any revenue: a = 0, mean revenue 0 -> no fit error, low
    expect(fitCurve(repeat(14, 100, 0))).toMatchObject({
      a: 0,
      fit_error: null,
      confidence: 0,
      confidence_label: 'low',
    });
  });
});
