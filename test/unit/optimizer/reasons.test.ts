import { describe, expect, it } from 'vitest';
import { reasonFor, type PlannedRequest, type ReasonInput } from '../../../lib/optimizer';

const request: PlannedRequest = {
  total_budget: 1000,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 100, max_daily_spend_per_campaign: 500, max_change_pct: 50 },
};
// a = 4.743416, b = 0.75: margin peaks at (0.75 a)^4 = 160.18 (cents 16018)
const bounds: ReasonInput['bounds'] = {
  option: { a: 4.743416, b: 0.75, lo: 5000, hi: 20000 },
  limits: { lo: 'max_change_pct', hi: 'max_change_pct' },
};
const at = (spend: number, extra: Partial<ReasonInput> = {}) =>
  reasonFor({
    spend,
    current: 10000,
    bounds,
    worthRunning: true,
    keptCurrent: false,
    goal: 'max_margin',
    request,
    seen: { min: 10000, max: 10000 },
    ...extra,
  }).reason;

describe('optimiser reason codes', () => {
  it('a funded campaign inside its window: at the margin peak, or where the total ran out', () => {
    // slope a b s^(b-1) at 160.18: 3.557562 x 160.18^-0.25 = 3.557562 / 3.557573 = 1.000 -> margin_optimal
    expect(at(16018)).toBe('margin_optimal');
    // at 120: 3.557562 / 120^0.25 = 3.557562 / 3.309751 = 1.075: more would still pay -> the total ran out
    expect(at(12000)).toBe('total_budget_limit');
    // max_revenue never stops for margin
    expect(at(16018, { goal: 'max_revenue' })).toBe('total_budget_limit');
  });

  it('the plan keeping the current budgets says so for every funded campaign', () => {
    expect(at(10000, { keptCurrent: true })).toBe('kept_current');
  });

  it('at an end of its window, the constraint that set it', () => {
    expect(at(20000)).toBe('at_max_change');
    expect(at(20000, { bounds: { ...bounds, limits: { lo: 'max_change_pct', hi: 'min_roas' } } })).toBe('at_min_roas');
    expect(
      at(5000, { bounds: { ...bounds, limits: { lo: 'min_daily_spend_per_campaign', hi: 'max_change_pct' } } }),
    ).toBe('at_min_spend');
  });

  it('cut to 0: worth running but outbid, or losing at every budget', () => {
    expect(at(0)).toBe('reallocate_to_winners');
    expect(at(0, { worthRunning: false })).toBe('unprofitable');
    expect(at(0, { worthRunning: false, goal: 'max_revenue' })).toBe('no_revenue');
  });
});
