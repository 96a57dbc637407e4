import { describe, expect, it } from 'vitest';
import { evaluateCampaigns, resolveThresholds } from '../../../lib/decisions';
import { parseRuleText } from '../../../lib/rules/parse';
import { AS_OF, campaign, flat, NOW, SHIPPED_RULES } from '../decisions/fixtures';
import { ruleFile } from './fixtures';

describe('the shipped alert rules', () => {
  it('are switched on and are the two alert types of METRICS.md', () => {
    const rules = SHIPPED_RULES(resolveThresholds().of(''));
    expect(rules.map((r) => [r.id, r.enabled, r.alert!.type])).toEqual([
      ['default-cut-loss', true, 'cut_loss'],
      ['default-scale-up', true, 'scale_up'],
    ]);
    expect(ruleFile('default-scale-up.yaml').alert!.recommendation).toBe('increase_budget_40_percent');
  });

  it("fill each owner's thresholds: bob's scale_days 2, scale_roas 150, scale_pct 30 and cut_days 3", () => {
    const thresholds = { global: {}, owners: { bob: { scale_days: 2, scale_roas: 150, scale_pct: 30, cut_days: 3 } } };
    // 5 days at 100 spend, roas 140, then 2 days at roas 160 (margin 60 a day).
    const days: Array<[number, number]> = [...flat(5, 100, 140), ...flat(2, 100, 160)];
    const series = [campaign('a', days), campaign('b', days, { owner: 'bob' })];
    const { alerts, decisions } = evaluateCampaigns(series, { as_of: AS_OF, now: NOW, thresholds }, SHIPPED_RULES);
    // alice (defaults): 3 days > 130 -> scale_up, gain 60 * 0.40 = 24.00; bob: 2 days > 150 -> scale_up at 30%, 60
    // * 0.30 = 18.00
    expect(decisions.map((d) => d.recommendation)).toEqual(['scale_40_percent', 'scale_30_percent']);
    expect(alerts.map((a) => [a.campaign_id, a.recommendation, a.potential_margin_gain, a.reason])).toEqual([
      ['a', 'increase_budget_40_percent', 24, 'ROAS >130% for 3+ days'],
      ['b', 'increase_budget_30_percent', 18, 'ROAS >150% for 2+ days'],
    ]);
    // bob's loser: 3 days at roas 50 on 100 spend after 4 at roas 100; loss 3 x 50 = 150, per day 50.00
    const loser = campaign('l', [...flat(4, 100, 100), ...flat(3, 100, 50)], { owner: 'bob' });
    const cut = evaluateCampaigns([loser], { as_of: AS_OF, now: NOW, thresholds }, SHIPPED_RULES);
    expect(cut.alerts).toMatchObject([
      { type: 'cut_loss', daily_loss: 50, reason: 'ROAS <80% for 3 days, negative margin', priority: 'medium' },
    ]);
  });

  it('a placeholder must name a threshold, and belongs in alert rules only', () => {
    const unknown = parseRuleText(
      'name: x\nconditions: { metric: roas, window: yesterday, op: ">", value: "{scale_rose}" }\nactions: [{ pause: true }]\n',
      'x.yaml',
    );
    expect(unknown).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('unknown threshold {scale_rose}') }],
    });
    const plain = parseRuleText(
      'name: x\nconditions: { metric: roas, window: yesterday, op: ">", value: "{scale_roas}" }\nactions: [{ pause: true }]\n',
      'x.yaml',
    );
    expect(plain).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('only for rules with an alert section') }],
    });
  });
});
