import { z } from 'zod';
import type { Recommendation } from '../decisions/decide';
import { roasPct, type CampaignSeries, type DailyTotals } from '../decisions/series';
import type { Thresholds } from '../decisions/thresholds';
import { audienceTypeSchema, entityTypeSchema, revenueSourceSchema } from '../levels';
import { roundCents } from '../money';
import { conditionDays, evaluateCondition } from './conditions';
import { measureDays, sumRuleDays, windowDays, ZERO_DAY, type RuleCampaign } from './measure';
import { fillRule, thresholdValues } from './placeholders';
import { inScope } from './scope';
import type { Rule } from './schema';

/**
 * One alert of `GET /api/facebook/alerts/scaling` (METRICS.md "Alerts"), raised by an alert rule.
 * Money in dollars; the amount is answered in the field the rule names.
 */
export const alertSchema = z.object({
  type: z.string(),
  priority: z.enum(['high', 'medium']),
  /** Where the alert is raised (METRICS.md "Levels"): a campaign, or an ad set holding its budget. */
  entity_type: entityTypeSchema,
  entity_id: z.string(),
  campaign_id: z.string(),
  adset_id: z.string().nullable(),
  audience_type: audienceTypeSchema.nullable(),
  revenue_source: revenueSourceSchema.nullable(),
  owner: z.string(),
  current_roas: z.number().nullable(),
  recommendation: z.string(),
  potential_margin_gain: z.number().optional(),
  daily_loss: z.number().optional(),
  reason: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

/** The entity fields of an alert; a campaign's when absent. */
export type AlertEntity = Pick<Alert, 'entity_type' | 'entity_id' | 'adset_id' | 'audience_type' | 'revenue_source'>;

/** The entity an evaluated series is: the campaign, or its ad set. */
export function entityOf(series: CampaignSeries): AlertEntity {
  return {
    entity_type: series.entity_type,
    entity_id: series.adset_id ?? series.campaign_id,
    adset_id: series.adset_id,
    audience_type: series.audience_type,
    revenue_source: series.revenue_source,
  };
}

/**
 * A streak the decision overruled (a winner in decline, a loser recovering, a cooldown): for the report, not
 * alerted.
 */
export interface OverruledStreak {
  alert: Alert;
  /** The decision that held it back. */
  decision: Recommendation;
}

/** An alert rule as its file holds it, filled per owner when evaluated. */
export interface AlertRuleSource {
  id: string;
  source: Record<string, unknown>;
}

/**
 * The alert rules, each filled with one owner's thresholds (cached per thresholds object). `sources` are the
 * files' rules as read: what stored decisions were computed with (services/decisions/stored.ts).
 */
export type AlertRules = ((t: Thresholds) => readonly Rule[]) & { readonly sources?: readonly AlertRuleSource[] };

export function alertRules(sources: readonly AlertRuleSource[]): AlertRules {
  const filled = new WeakMap<Thresholds, Rule[]>();
  const fill = (t: Thresholds) => {
    let rules = filled.get(t);
    if (!rules) {
      rules = sources.map((s) => fillRule(s.source, thresholdValues(t))).filter((r) => r.enabled && r.alert);
      filled.set(t, rules);
    }
    return rules;
  };
  return Object.assign(fill, { sources });
}

/** Days ending yesterday the alert rules read for one owner. */
export function alertDays(rules: readonly Rule[]): number {
  return Math.max(
    0,
    ...rules.map((r) =>
      Math.max(
        conditionDays(r.conditions),
        conditionDays(r.alert!.high_priority_when),
        windowDays(r.alert!.amount.window),
      ),
    ),
  );
}

/** What an alert is ranked by: its gain or its loss per day. */
export function alertAmount(alert: Alert): number {
  return alert.potential_margin_gain ?? alert.daily_loss ?? 0;
}

/** What an alert rule sees of a campaign in the decision step: its daily spend and revenue, and its decision. */
export function alertCampaign(series: CampaignSeries, totals: DailyTotals, decision: Recommendation): RuleCampaign {
  return {
    campaign_id: series.campaign_id,
    campaign_name: series.campaign_name,
    owner: series.owner,
    category: series.category,
    days: totals.spend.map((spend, k) => ({ ...ZERO_DAY, spend, revenue: totals.revenue[k]! })),
    live: null,
    decision,
  };
}

function alertOf(rule: Rule, c: RuleCampaign, entity: AlertEntity): Alert {
  const spec = rule.alert!;
  const y = c.days[0];
  const amount = spec.amount;
  const days = windowDays(amount.window);
  let cents = measureDays(amount.metric, sumRuleDays(c.days, days)) ?? 0;
  if (amount.negate) cents = -cents;
  if (amount.per_day) cents = cents / days;
  if (amount.percent !== undefined) cents = (cents * amount.percent) / 100;
  return {
    type: spec.type,
    priority: evaluateCondition(spec.high_priority_when, c) ? 'high' : 'medium',
    entity_type: entity.entity_type,
    entity_id: entity.entity_id,
    campaign_id: c.campaign_id,
    adset_id: entity.adset_id,
    audience_type: entity.audience_type,
    revenue_source: entity.revenue_source,
    owner: c.owner,
    current_roas: y ? roasPct(y.revenue, y.spend) : null,
    recommendation: spec.recommendation,
    [amount.field]: roundCents(cents) / 100,
    reason: spec.reason,
  };
}

/**
 * One alert rule on one campaign: the alert when its conditions hold and the decision agrees, the
 * held-back streak when they hold and the decision (or a cooldown) does not, else nothing.
 */
export function alertVerdict(
  rule: Rule,
  c: RuleCampaign,
  entity: AlertEntity = campaignEntity(c.campaign_id),
): { alert: Alert } | { overruled: OverruledStreak } | null {
  if (!rule.alert || !inScope(rule, c) || !evaluateCondition(rule.conditions, c)) return null;
  const alert = alertOf(rule, c, entity);
  if (evaluateCondition({ decision: rule.alert.requires_decision }, c)) return { alert };
  return { overruled: { alert, decision: c.decision! } };
}

function campaignEntity(campaignId: string): AlertEntity {
  return { entity_type: 'campaign', entity_id: campaignId, adset_id: null, audience_type: null, revenue_source: null };
}

/** high before medium, then the amount (gain or loss per day) descending, then campaign_id, then the ad set. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.priority !== b.priority) return a.priority === 'high' ? -1 : 1;
  const byAmount = Math.round(alertAmount(b) * 100) - Math.round(alertAmount(a) * 100);
  if (byAmount !== 0) return byAmount;
  if (a.campaign_id !== b.campaign_id) return a.campaign_id < b.campaign_id ? -1 : 1;
  const x = a.adset_id ?? '';
  const y = b.adset_id ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
