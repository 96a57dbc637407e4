import { describe, expect, it } from 'vitest';
import { allocate } from '../../../lib/optimizer';

const OPEN = { lo: 0, hi: 1_000_000_00 };
/** revenue = 20 * sqrt(spend) and 10 * sqrt(spend), in dollars. */
const strong = { a: 20, b: 0.5, ...OPEN };
const weak = { a: 10, b: 0.5, ...OPEN };

describe('marginal-gain allocation on known curves', () => {
  it('max_revenue equalises marginal revenue: 10/sqrt(sA) = 5/sqrt(sB) -> sA = 4 sB; 500 -> 400 + 100', () => {
    // revenue 20 * sqrt(400) + 10 * sqrt(100) = 400 + 100 = 500.00
    const r = allocate([strong, weak], 500_00, 'max_revenue');
    expect(r.spend).toEqual([400_00, 100_00]);
    expect(r.objective).toBeCloseTo(500_00, 6);
  });

  it('max_margin stops where the next dollar earns a dollar, leaving budget unspent', () => {
    // 10 / sqrt(s) = 1 -> s = 100; margin 20 * 10 - 100 = 100 each
    const r = allocate([strong, strong], 1000_00, 'max_margin');
    expect(r.spend).toEqual([100_00, 100_00]);
    expect(r.objective).toBeCloseTo(200_00, 6);
  });

  it('a binding budget is split where marginal margins are equal (here: evenly)', () => {
    // 2 x (20 * sqrt(50) - 50) = 2 x 91.4214 = 182.8427
    const r = allocate([strong, strong], 100_00, 'max_margin');
    expect(r.spend).toEqual([50_00, 50_00]);
    expect(r.objective).toBeCloseTo(182_84.27, 1);
  });

  it('lower bounds are paid first, then the rest goes to the best marginal gain', () => {
    // both in [80, 120], budget 170: the weak one stays at 80 (10 / (2 sqrt 80) = 0.56 < 1 but its
    // margin 89.44 - 80 = 9.44 > 0 keeps it on); the strong one gets the other 90 (its margin
    // still rises up to 100). margin = 20 sqrt 90 - 90 + 10 sqrt 80 - 80 = 99.737 + 9.443 = 109.18
    const r = allocate(
      [
        { ...strong, lo: 80_00, hi: 120_00 },
        { ...weak, lo: 80_00, hi: 120_00 },
      ],
      170_00,
      'max_margin',
    );
    expect(r.spend).toEqual([90_00, 80_00]);
    expect(r.objective).toBeCloseTo(109_17.94, 1);
  });

  it('a campaign that loses money even at its lower bound is switched off', () => {
    // 10 sqrt(200) = 141.42 < 200 at its least allowed spend: margin -58.58 -> off; not worth running at any budget
    const r = allocate([{ ...weak, lo: 200_00, hi: 300_00 }, strong], 10_000_00, 'max_margin');
    expect(r.spend).toEqual([0, 100_00]);
    expect(r.worthRunning).toEqual([false, true]);
  });

  it('linear curves (b = 1) fill the steepest first', () => {
    // roas 200% and 150%, each capped at 100; budget 150 -> 100 + 50; margin 100 + 25 = 125
    const r = allocate(
      [
        { a: 1.5, b: 1, lo: 0, hi: 100_00 },
        { a: 2, b: 1, lo: 0, hi: 100_00 },
      ],
      150_00,
      'max_margin',
    );
    expect(r.spend).toEqual([50_00, 100_00]);
    expect(r.objective).toBeCloseTo(125_00, 6);
  });

  it('keeps a feasible current allocation the marginal rule cannot beat (fixed bounds, no gradual path)', () => {
    // X runs at exactly 100 for margin 30 (a = 13: 13 * 10 = 130); Y at exactly 60 for margin 24
    // (a = 84 / sqrt 60). Y earns more per dollar (0.4 vs 0.3), so the price rule funds Y; but with
    // 100 to spend X alone (30) beats Y alone (24). The current allocation [100, 0] is kept.
    const x = { a: 13, b: 0.5, lo: 100_00, hi: 100_00 };
    const y = { a: 84 / Math.sqrt(60), b: 0.5, lo: 60_00, hi: 60_00 };
    expect(allocate([x, y], 100_00, 'max_margin').spend).toEqual([0, 60_00]);
    const kept = allocate([x, y], 100_00, 'max_margin', [100_00, 0]);
    expect(kept).toMatchObject({ spend: [100_00, 0], keptCurrent: true });
    expect(kept.objective).toBeCloseTo(30_00, 6);
    // an infeasible current one (over budget) is not kept
    expect(allocate([x, y], 100_00, 'max_margin', [100_00, 60_00]).keptCurrent).toBe(false);
  });

  it('nothing to spend, nothing spent', () => {
    expect(allocate([strong, weak], 0, 'max_revenue').spend).toEqual([0, 0]);
    expect(allocate([null, strong], 50_00, 'max_revenue').spend).toEqual([0, 50_00]);
  });
});
