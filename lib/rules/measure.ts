import type { Recommendation } from '../decisions/decide';
import { roasPct } from '../decisions/series';
import type { AudienceType } from '../levels';
import type { Cents } from '../money';
import { MONEY_METRICS, type Metric, type Window } from './schema';

/** One complete day of a campaign (a report date ending at or before yesterday). */
export interface RuleDay {
  spend: Cents;
  revenue: Cents;
  clicks: number;
  impressions: number;
  conversions: number;
}

/** The campaign on Meta now: the Meta sync's latest snapshot (meta_campaign_state). */
export interface LiveState {
  accountId: string;
  metaCampaignId: string;
  status: string;
  /** Null under a lifetime budget or ad-set budgets. */
  dailyBudgetCents: number | null;
  spendTodayCents: Cents;
  impressionsToday: number;
  clicksToday: number;
  purchasesToday: number;
  /** False when the latest snapshot is from an earlier day: today's numbers are then unknown. */
  todayKnown: boolean;
  /** Share of the report day elapsed at the snapshot (0..1), for pacing; null when unknown. */
  dayElapsed: number | null;
  /** The ad account's currency (ISO 4217); absent where it is not known, which sizes as US dollars. */
  currency?: string;
}

/** The ad set a level-adset rule reads: its numbers are the ad set's, `live` its Meta state. */
export interface RuleAdset {
  id: string;
  name: string;
  audienceType: AudienceType;
  /** learning_stage_info.status (LEARNING, SUCCESS, FAIL); null when Meta gave none. */
  learningStatus: string | null;
}

/**
 * Everything the rules read about one campaign, or about one ad set of it (`adset` set): then
 * days and live are the ad set's, and the campaign fields are its campaign's (owner included).
 */
export interface RuleCampaign {
  campaign_id: string;
  campaign_name: string;
  owner: string;
  category: string;
  /** Newest first: days[0] is yesterday, days[k] is yesterday - k. A missing day is all zeros. */
  days: RuleDay[];
  live: LiveState | null;
  /** The METRICS.md decision as of the same as_of (cooldown included), when computed. */
  decision: Recommendation | null;
  adset?: RuleAdset;
  /** A breakdown segment's entity (every segment summed), same days: what entity_roas reads. */
  entityDays?: RuleDay[];
}

/** What a rule acts on, as history and conflicts key it: the campaign, or `adset-<id>`. */
export function entityKeyOf(c: { campaign_id: string; adset?: { id: string } }): string {
  return c.adset ? `adset-${c.adset.id}` : c.campaign_id;
}

export const ZERO_DAY: RuleDay = { spend: 0, revenue: 0, clicks: 0, impressions: 0, conversions: 0 };

export function isMoney(metric: Metric): boolean {
  return (MONEY_METRICS as readonly string[]).includes(metric);
}

function ratio(numerator: number, denominator: number, scale = 1): number | null {
  return denominator === 0 ? null : (numerator / denominator) * scale;
}

/**
 * A metric over summed days (METRICS.md formulas; null on a zero denominator). Money metrics come
 * back in cents, roas in percent to one decimal like every roas people see, ctr in percent.
 */
export function measureDays(metric: Metric, d: RuleDay): number | null {
  switch (metric) {
    case 'spend':
      return d.spend;
    case 'revenue':
      return d.revenue;
    case 'margin':
      return d.revenue - d.spend;
    case 'roas':
      return roasPct(d.revenue, d.spend);
    case 'ctr':
      return ratio(d.clicks, d.impressions, 100);
    case 'cpc':
      return ratio(d.spend, d.clicks);
    case 'cpm':
      return ratio(d.spend, d.impressions, 1000);
    case 'cpa':
      return ratio(d.spend, d.conversions);
    case 'conversions':
      return d.conversions;
    case 'purchase_value':
      return d.revenue; // a breakdown segment's revenue is Meta's purchase value
    case 'budget_utilisation':
    case 'pacing':
    case 'entity_roas':
    case 'roas_vs_entity':
      return null; // live only, or measured against the entity (windowValues)
  }
}

/** A breakdown segment's metric over `count` days from `from` (days[from] is the newest). */
function measureSegment(metric: Metric, c: RuleCampaign, count: number, from = 0): number | null {
  const own = sumRuleDays(c.days.slice(from), count);
  if (metric !== 'entity_roas' && metric !== 'roas_vs_entity') return measureDays(metric, own);
  const entity = c.entityDays ? sumRuleDays(c.entityDays.slice(from), count) : null;
  if (metric === 'entity_roas') return entity ? measureDays('roas', entity) : null;
  // From the exact sums, not the rounded percents people read.
  if (!entity || own.spend === 0 || entity.spend === 0 || entity.revenue === 0) return null;
  return (own.revenue / own.spend / (entity.revenue / entity.spend)) * 100;
}

/**
 * Today so far, from Meta. Utilisation = spend today / daily budget, in percent. Pacing compares
 * it with the share of the day gone: 100 means on track to spend exactly the budget, 150 spending
 * half again too fast.
 */
export function measureToday(metric: Metric, live: LiveState | null): number | null {
  if (!live || !live.todayKnown) return null;
  const utilisation = live.dailyBudgetCents ? (live.spendTodayCents / live.dailyBudgetCents) * 100 : null;
  switch (metric) {
    case 'budget_utilisation':
      return utilisation;
    case 'pacing':
      return utilisation === null || !live.dayElapsed ? null : utilisation / live.dayElapsed;
    default:
      return measureDays(metric, {
        spend: live.spendTodayCents,
        revenue: 0,
        clicks: live.clicksToday,
        impressions: live.impressionsToday,
        conversions: live.purchasesToday,
      });
  }
}

export function sumRuleDays(days: readonly RuleDay[], count: number): RuleDay {
  const total = { ...ZERO_DAY };
  for (let k = 0; k < count; k++) {
    const d = days[k] ?? ZERO_DAY;
    total.spend += d.spend;
    total.revenue += d.revenue;
    total.clicks += d.clicks;
    total.impressions += d.impressions;
    total.conversions += d.conversions;
  }
  return total;
}

/** The values a window yields: one for today, yesterday and last_N_days; one per day for each_of. */
export function windowValues(metric: Metric, window: Window, c: RuleCampaign): Array<number | null> {
  switch (window.kind) {
    case 'today':
      return [measureToday(metric, c.live)];
    case 'yesterday':
      return [measureSegment(metric, c, 1)];
    case 'last':
      return [measureSegment(metric, c, window.days)];
    case 'each_of_last':
    case 'some_of_last':
      return Array.from({ length: window.days }, (_, k) => measureSegment(metric, c, 1, k));
  }
}

export function windowLabel(w: Window): string {
  if (w.kind === 'some_of_last') return `${w.atLeast}_of_last_${w.days}_days`;
  return w.kind === 'last' ? `last_${w.days}_days` : w.kind === 'each_of_last' ? `each_of_last_${w.days}_days` : w.kind;
}

/** How many complete days (ending yesterday) a window reads. */
export function windowDays(w: Window): number {
  return w.kind === 'last' || w.kind === 'each_of_last' || w.kind === 'some_of_last'
    ? w.days
    : w.kind === 'yesterday'
      ? 1
      : 0;
}
