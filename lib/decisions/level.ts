import { AUDIENCE_MODIFIER, type AudienceType, type Level } from '../levels';
import { roundTo } from '../money';
import type { Confidence } from './decide';
import type { DailyRow } from './series';
import { effectiveScalePct, type Thresholds } from './thresholds';

// One adjusted copy per owner's thresholds and audience type: the alert rules are filled (and
// cached) per thresholds object, so every retargeting ad set of one owner shares one filling.
const byAudience = new WeakMap<Thresholds, Map<AudienceType, Thresholds>>();

/**
 * The owner's thresholds as they apply to an ad set of this audience type (METRICS.md "Levels"):
 * the scale step is `scale_pct x modifier` (the capped step, so max_scale_pct still bounds it).
 * Everything reading scale_pct (the decision, the alert's recommendation and amount, the proposal's
 * percent) sees the same step. A campaign (no audience type) or a 1.0 modifier keeps `t` itself.
 */
export function thresholdsFor(t: Thresholds, audience: AudienceType | null): Thresholds {
  if (audience === null || AUDIENCE_MODIFIER[audience] === 1) return t;
  let cache = byAudience.get(t);
  if (!cache) byAudience.set(t, (cache = new Map()));
  let adjusted = cache.get(audience);
  if (!adjusted) {
    adjusted = { ...t, scale_pct: roundTo(effectiveScalePct(t) * AUDIENCE_MODIFIER[audience], 2) };
    cache.set(audience, adjusted);
  }
  return adjusted;
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

/** A decision resting on allocated revenue (split from the campaign's) is one confidence step lower. */
export function confidenceFor(base: Confidence, revenueSource: string | null): Confidence {
  return revenueSource === 'allocated' ? LOWER[base] : base;
}

/**
 * The rows the decisions read at a level (METRICS.md "Levels"): `campaign`, every campaign's rows;
 * `adset`, every ad set's; `auto`, the ad-set rows of the campaigns whose ad sets hold the budgets
 * (`adsetBudgetCampaigns`) and that have ad-set rows, and the campaign rows of every other campaign.
 * An ad set is judged with its campaign owner's thresholds, so its rows carry the campaign's owner.
 */
export function rowsAtLevel(
  level: Level,
  campaignRows: readonly DailyRow[],
  adsetRows: readonly DailyRow[],
  adsetBudgetCampaigns: ReadonlySet<string>,
): DailyRow[] {
  if (level === 'campaign') return [...campaignRows];
  const owner = new Map<string, { date: string; owner: string }>();
  for (const r of campaignRows) {
    const seen = owner.get(r.campaign_id);
    if (r.owner && (!seen || r.date >= seen.date)) owner.set(r.campaign_id, { date: r.date, owner: r.owner });
  }
  const adsets = adsetRows
    .filter((r) => level === 'adset' || adsetBudgetCampaigns.has(r.campaign_id))
    .map((r) => ({ ...r, entity_type: 'adset' as const, owner: owner.get(r.campaign_id)?.owner ?? r.owner }));
  if (level === 'adset') return adsets;
  const decidedPerAdset = new Set(adsets.map((r) => r.campaign_id));
  return [...campaignRows.filter((r) => !decidedPerAdset.has(r.campaign_id)), ...adsets];
}
