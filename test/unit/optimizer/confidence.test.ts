import { describe, expect, it } from 'vitest';
import { confidenceLabel, confidenceScore } from '../../../lib/optimizer';

/**
 * The optimiser's confidence as the PRD's number (lib/optimizer/confidence.ts): the weakest of
 *   days of spend  0 -> 0, 7 -> 0.4, 14 -> 0.8, 28 -> 1   and   fit_error 0 -> 1, 0.25 -> 0.8, 0.5 -> 0.4, 1 -> 0,
 * and the spend spread (0 -> 0, 0.2 -> 0.4, 0.5 -> 0.8, 1 -> 1; here 1, so the other two decide; the spread's
 * own cases are in spend-range.test.ts), linear between, two decimals, kept in its word's band.
 */
describe('curve confidence: a number in 0..1 that agrees with its word', () => {
  it('the days and the fit error each cap it', () => {
    expect(confidenceScore(28, 0, 1)).toBe(1); // min(1, 1)
    expect(confidenceScore(40, 0, 1)).toBe(1); // days past the lookback add nothing
    expect(confidenceScore(21, 0, 1)).toBe(0.9); // 0.8 + 0.2 * 7/14
    expect(confidenceScore(10, 0, 1)).toBe(0.57); // 0.4 + 0.4 * 3/7 = 0.571429
    expect(confidenceScore(28, 0.1, 1)).toBe(0.92); // 1 - 0.2 * 0.1/0.25
    expect(confidenceScore(28, 0.375, 1)).toBe(0.6); // 0.8 - 0.4 * 0.125/0.25
    expect(confidenceScore(28, 0.75, 1)).toBe(0.2); // 0.4 - 0.4 * 0.25/0.5
    expect(confidenceScore(28, 1.5, 1)).toBe(0); // past 1: no confidence
    expect(confidenceScore(28, null, 1)).toBe(0); // no revenue, no fit error
    expect(confidenceScore(3, 0.05, 1)).toBe(0.17); // days: 0.4 * 3/7 = 0.171429 (fit 0.96)
  });

  it('is high (>= 0.8) exactly at 14+ days and fit_error <= 0.25, medium (>= 0.4) at 7+ days and <= 0.5', () => {
    const cases: Array<[number, number | null]> = [
      [14, 0.25],
      [14, 0.2501],
      [13, 0],
      [7, 0.5],
      [7, 0.5001],
      [6, 0],
      [28, 0.26],
      [100, 0.49],
      [0, 0],
    ];
    const labels = cases.map(([days, fit]) => [confidenceLabel(days, fit, 1), confidenceScore(days, fit, 1)]);
    expect(labels).toEqual([
      ['high', 0.8], // both exactly on the threshold
      // 0.8 - 0.4 * 0.0001/0.25 = 0.79984 would round to 0.80: kept in medium's band
      ['medium', 0.79],
      ['medium', 0.74], // 0.4 + 0.4 * 6/7
      ['medium', 0.4],
      ['low', 0.39], // 0.4 - 0.4 * 0.0001/0.5 = 0.39992, kept in low's band
      ['low', 0.34], // 0.4 * 6/7 = 0.342857
      ['medium', 0.78], // 0.8 - 0.4 * 0.01/0.25 = 0.784
      ['medium', 0.42], // 0.8 - 0.4 * (0.49 - 0.25)/0.25 = 0.416
      ['low', 0],
    ]);
  });
});
