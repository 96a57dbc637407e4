import { describe, expect, it } from 'vitest';
import { parseBudgetRequest, withDefaults, type BudgetRequest } from '../../../lib/optimizer';

const valid = {
  total_budget: 5000,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 120, max_daily_spend_per_campaign: 1000, max_change_pct: 50 },
};

describe('budget optimisation request', () => {
  it('accepts the METRICS.md shape; min_daily_spend_per_campaign is optional', () => {
    expect(parseBudgetRequest(valid)).toEqual({ ok: true, request: valid });
    const withMin = { ...valid, constraints: { ...valid.constraints, min_daily_spend_per_campaign: 20 } };
    expect(parseBudgetRequest(withMin).ok).toBe(true);
  });

  it("takes the PRD's example body as written: max_change_pct is optional (MAX_CHANGE_PCT fills it)", () => {
    const prd = {
      total_budget: 12000,
      optimization_goal: 'max_margin',
      constraints: { min_roas: 80, max_daily_spend_per_campaign: 1000 },
    };
    expect(parseBudgetRequest(prd)).toEqual({ ok: true, request: prd });
    expect(withDefaults(prd as BudgetRequest, { max_change_pct: 30 }).constraints).toEqual({
      min_roas: 80,
      max_daily_spend_per_campaign: 1000,
      max_change_pct: 30,
    });
    // one sent wins over the default
    expect(withDefaults(valid as BudgetRequest, { max_change_pct: 30 }).constraints.max_change_pct).toBe(50);
  });

  it('names the field of every problem', () => {
    const bad = parseBudgetRequest({
      total_budget: -1,
      optimization_goal: 'max_profit',
      constraints: { min_roas: '120', max_daily_spend_per_campaign: 0, max_change_pct: -5 },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.field).sort()).toEqual([
      'constraints.max_change_pct',
      'constraints.max_daily_spend_per_campaign',
      'constraints.min_roas',
      'optimization_goal',
      'total_budget',
    ]);
    expect(bad.errors.find((e) => e.field === 'optimization_goal')!.message).toContain('max_margin');
  });

  it('rejects a misspelt field rather than planning without it', () => {
    const typo = parseBudgetRequest({ ...valid, constraints: { ...valid.constraints, max_change_percent: 20 } });
    expect(typo).toEqual({
      ok: false,
      errors: [{ field: 'constraints.max_change_percent', message: 'unknown field' }],
    });
  });

  it('a minimum above the maximum is an error on the minimum', () => {
    const r = parseBudgetRequest({
      ...valid,
      constraints: { ...valid.constraints, min_daily_spend_per_campaign: 1001 },
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'constraints.min_daily_spend_per_campaign', message: 'must not exceed max_daily_spend_per_campaign' },
      ],
    });
  });
});
