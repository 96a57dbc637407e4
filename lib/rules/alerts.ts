import { compareAlerts, type Alert } from '../decisions/alerts';
import { roasPct } from '../decisions/series';
import { roundCents } from '../money';
import { evaluateCondition } from './conditions';
import { sumRuleDays, windowDays, type RuleCampaign } from './measure';
import type { Rule } from './schema';

/**
 * The METRICS.md alert a rule with an `alert` section raises for a matched campaign, so the
 * default rules can stand in for lib/decisions' scale_up and cut_loss exactly.
 */
export function alertOf(rule: Rule, c: RuleCampaign): Alert | null {
  const spec = rule.alert;
  if (!spec) return null;
  const y = c.days[0];
  const current_roas = y ? roasPct(y.revenue, y.spend) : null;
  const priority = evaluateCondition(spec.high_priority_when, c) ? 'high' : 'medium';
  if (spec.type === 'scale_up') {
    const adjust = rule.actions.find((a) => 'adjust_budget' in a);
    const pct = adjust && 'adjust_budget' in adjust ? adjust.adjust_budget.by_percent : undefined;
    if (pct === undefined || pct <= 0) return null;
    const marginYesterday = y ? y.revenue - y.spend : 0;
    return {
      type: 'scale_up',
      priority,
      campaign_id: c.campaign_id,
      owner: c.owner,
      current_roas,
      recommendation: `increase_budget_${pct}_percent`,
      potential_margin_gain: roundCents((marginYesterday * pct) / 100) / 100,
      reason: spec.reason,
    };
  }
  const days = Math.max(1, windowDays(spec.loss_window));
  const total = sumRuleDays(c.days, days);
  return {
    type: 'cut_loss',
    priority,
    campaign_id: c.campaign_id,
    owner: c.owner,
    current_roas,
    recommendation: 'pause_campaign',
    daily_loss: roundCents(-(total.revenue - total.spend) / days) / 100,
    reason: spec.reason,
  };
}

/** Every alert the rules raise, in METRICS.md order (high first, amount, campaign_id). */
export function ruleAlerts(rules: readonly Rule[], campaigns: readonly RuleCampaign[]): Alert[] {
  const alerts: Alert[] = [];
  for (const rule of rules) {
    if (!rule.enabled || !rule.alert) continue;
    for (const c of campaigns) if (evaluateCondition(rule.conditions, c)) alerts.push(alertOf(rule, c)!);
  }
  return alerts.filter(Boolean).sort(compareAlerts);
}
