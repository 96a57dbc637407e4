import { z } from 'zod';
import { roundCents, type Cents } from '../money';
import type { Decision, Recommendation } from './decide';
import { roasPct, sumDays, type CampaignSeries, type DailyTotals } from './series';
import { effectiveScalePct, type Thresholds } from './thresholds';

/** One alert of `GET /api/facebook/alerts/scaling` (METRICS.md "Alerts"). Money in dollars. */
export const alertSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('scale_up'),
    priority: z.enum(['high', 'medium']),
    campaign_id: z.string(),
    owner: z.string(),
    current_roas: z.number().nullable(),
    recommendation: z.templateLiteral(['increase_budget_', z.number(), '_percent']),
    potential_margin_gain: z.number(),
    reason: z.string(),
  }),
  z.object({
    type: z.literal('cut_loss'),
    priority: z.enum(['high', 'medium']),
    campaign_id: z.string(),
    owner: z.string(),
    current_roas: z.number().nullable(),
    recommendation: z.literal('pause_campaign'),
    daily_loss: z.number(),
    reason: z.string(),
  }),
]);
export type Alert = z.infer<typeof alertSchema>;

/** A streak the decision overruled (a winner in decline, a loser recovering, a cooldown): for the report, not alerted. */
export interface OverruledStreak {
  alert: Alert;
  /** The decision that held it back. */
  decision: Recommendation;
}

/** Days needed behind yesterday for both streak rules. */
export function alertDays(t: Thresholds): number {
  return Math.max(t.scale_days, t.cut_days);
}

function scaleUp(series: CampaignSeries, totals: DailyTotals, t: Thresholds): Alert | null {
  const minSpend = Math.round(t.min_spend * 100);
  for (let k = 0; k < t.scale_days; k++) {
    const spend = totals.spend[k] ?? 0;
    const roas = roasPct(totals.revenue[k] ?? 0, spend);
    if (spend < minSpend || roas === null || !(roas > t.scale_roas)) return null;
  }
  const marginYesterday: Cents = totals.revenue[0]! - totals.spend[0]!;
  const scale = effectiveScalePct(t);
  return {
    type: 'scale_up',
    priority: marginYesterday >= Math.round(t.scale_high_margin * 100) ? 'high' : 'medium',
    campaign_id: series.campaign_id,
    owner: series.owner,
    current_roas: roasPct(totals.revenue[0]!, totals.spend[0]!),
    recommendation: `increase_budget_${scale}_percent`,
    // The percent actually recommended (scale_pct capped by max_scale_pct) is the one the gain assumes.
    potential_margin_gain: roundCents((marginYesterday * scale) / 100) / 100,
    reason: `ROAS >${t.scale_roas}% for ${t.scale_days}+ days`,
  };
}

function cutLoss(series: CampaignSeries, totals: DailyTotals, t: Thresholds): Alert | null {
  for (let k = 0; k < t.cut_days; k++) {
    // A day without spend has no roas, so a paused day breaks the streak.
    const roas = roasPct(totals.revenue[k] ?? 0, totals.spend[k] ?? 0);
    if (roas === null || !(roas < t.cut_roas)) return null;
  }
  const margin: Cents = sumDays(totals.revenue, t.cut_days) - sumDays(totals.spend, t.cut_days);
  if (margin >= 0) return null;
  return {
    type: 'cut_loss',
    priority: -margin > Math.round(t.cut_high_loss * 100) ? 'high' : 'medium',
    campaign_id: series.campaign_id,
    owner: series.owner,
    current_roas: roasPct(totals.revenue[0]!, totals.spend[0]!),
    recommendation: 'pause_campaign',
    daily_loss: roundCents(-margin / t.cut_days) / 100,
    reason: `ROAS <${t.cut_roas}% for ${t.cut_days} days, negative margin`,
  };
}

/**
 * The streak rules for one campaign, then the decision's veto: scale_up needs a `scale_*`
 * decision, cut_loss a `pause`. A cooldown decision vetoes both. `totals` must cover
 * alertDays(t) days ending yesterday.
 */
export function alertFor(
  series: CampaignSeries,
  totals: DailyTotals,
  decision: Decision,
  t: Thresholds,
): { alert: Alert } | { overruled: OverruledStreak } | null {
  const streak = scaleUp(series, totals, t) ?? cutLoss(series, totals, t);
  if (!streak) return null;
  const agrees = streak.type === 'scale_up' ? decision.recommendation.startsWith('scale_') : decision.recommendation === 'pause';
  return agrees ? { alert: streak } : { overruled: { alert: streak, decision: decision.recommendation } };
}

function amount(alert: Alert): number {
  return alert.type === 'scale_up' ? alert.potential_margin_gain : alert.daily_loss;
}

/** high before medium, then potential_margin_gain or daily_loss descending, then campaign_id. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.priority !== b.priority) return a.priority === 'high' ? -1 : 1;
  const byAmount = Math.round(amount(b) * 100) - Math.round(amount(a) * 100);
  if (byAmount !== 0) return byAmount;
  return a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0;
}
