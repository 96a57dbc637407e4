import { describe, expect, it } from 'vitest';
import { proposalFromAlert, type MetaTarget } from '../../../lib/approvals/from-alert';
import type { Alert } from '../../../lib/decisions';

const scaleUp: Alert = {
  type: 'scale_up',
  priority: 'high',
  campaign_id: 'simt3jv06u3',
  owner: 'ben',
  current_roas: 142.1,
  recommendation: 'increase_budget_40_percent',
  potential_margin_gain: 111.36,
  reason: 'ROAS >130% for 3+ days',
};
const cutLoss: Alert = {
  type: 'cut_loss',
  priority: 'medium',
  campaign_id: 'loser1',
  owner: 'tj',
  current_roas: 61.5,
  recommendation: 'pause_campaign',
  daily_loss: 42.5,
  reason: 'ROAS <80% for 5 days, negative margin',
};
const target = (over: Partial<MetaTarget> = {}): MetaTarget => ({ accountId: 'act_1001', metaCampaignId: '1202', dailyBudgetCents: 20000, status: 'ACTIVE', ...over });
const limits = { maxChangePct: 50, maxBudgetCents: 1_000_000 };
const plan = (alert: Alert, t: MetaTarget | null, l = limits) => proposalFromAlert(alert, { asOf: '2025-10-13', campaignName: 'Dental', target: t, limits: l });

describe('a budget change proposed for an alert', () => {
  it('scale_up raises the live daily budget by the recommended 40%: $200.00 -> $280.00', () => {
    const p = plan(scaleUp, target());
    expect(p).toMatchObject({ ok: true, proposal: { type: 'scale_up', date: '2025-10-13', action: { kind: 'set_daily_budget', fromCents: 20000, toCents: 28000 } } });
  });

  it('caps the raise at the change limit and the maximum budget, rounding down to whole cents', () => {
    // 30% limit on $123.45: 160.485 -> $160.48 (never above the cap).
    expect(plan(scaleUp, target({ dailyBudgetCents: 12345 }), { maxChangePct: 30, maxBudgetCents: 1_000_000 })).toMatchObject({
      proposal: { action: { fromCents: 12345, toCents: 16048 } },
    });
    // $900 + 40% = $1,260, capped at the $1,000 maximum.
    expect(plan(scaleUp, target({ dailyBudgetCents: 90000 }), { maxChangePct: 50, maxBudgetCents: 100000 })).toMatchObject({
      proposal: { action: { fromCents: 90000, toCents: 100000 } },
    });
    expect(plan(scaleUp, target({ dailyBudgetCents: 100000 }), { maxChangePct: 50, maxBudgetCents: 100000 })).toEqual({
      ok: false,
      reason: 'the daily budget is already at the 1000 maximum',
    });
  });

  it('cut_loss pauses an active campaign and carries the daily loss as evidence', () => {
    const p = plan(cutLoss, target());
    expect(p).toMatchObject({ ok: true, proposal: { type: 'cut_loss', action: { kind: 'pause' }, evidence: { daily_loss: '42.50' } } });
  });

  it('says why when no change can be proposed', () => {
    expect(plan(scaleUp, null)).toMatchObject({ ok: false, reason: expect.stringContaining('no Meta campaign is mapped') });
    expect(plan(scaleUp, target({ dailyBudgetCents: null }))).toMatchObject({ ok: false, reason: expect.stringContaining('no daily budget') });
    expect(plan(cutLoss, target({ status: 'PAUSED' }))).toEqual({ ok: false, reason: 'the campaign is already PAUSED on Meta' });
  });
});
