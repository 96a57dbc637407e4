import type { Recommendation } from '../decisions/decide';
import type { CampaignSeries } from '../decisions/series';
import { windowIndex } from '../decisions/series';
import type { IsoDate } from '../dates';
import { audienceTypeSchema, type AudienceType } from '../levels';
import { toCents } from '../money';
import { ZERO_DAY, type LiveState, type RuleCampaign, type RuleDay } from './measure';

/** One row of daily_campaign_metrics (or daily_adset_metrics) as the rules read it (amounts as DECIMAL strings). */
export interface RuleRow {
  date: IsoDate;
  campaign_id: string;
  campaign_name?: string | null;
  owner?: string | null;
  category?: string | null;
  spend: string | number;
  revenue: string | number;
  clicks?: number | string | null;
  impressions?: number | string | null;
  conversions?: number | string | null;
  /** Set on ad-set rows (daily_adset_metrics). */
  adset_id?: string | null;
  adset_name?: string | null;
  audience_type?: string | null;
}

const count = (v: number | string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

/**
 * Rows (any order) into one RuleCampaign per key with `length` days ending yesterday, newest
 * first; rows after yesterday are not known as of as_of and are ignored. Name, owner and category
 * come from the latest row.
 */
function group(
  rows: readonly RuleRow[],
  yesterday: IsoDate,
  length: number,
  keyOf: (row: RuleRow) => string,
  start: (row: RuleRow) => Pick<RuleCampaign, 'live' | 'decision' | 'adset'>,
): RuleCampaign[] {
  const index = windowIndex(yesterday, Math.max(1, length));
  const byKey = new Map<string, RuleCampaign & { latest: IsoDate }>();
  for (const row of rows) {
    if (row.date > yesterday) continue;
    const key = keyOf(row);
    let c = byKey.get(key);
    if (!c) {
      c = {
        campaign_id: row.campaign_id,
        campaign_name: '',
        owner: '',
        category: '',
        days: Array.from({ length: index.length }, () => ({ ...ZERO_DAY })),
        ...start(row),
        latest: '',
      };
      byKey.set(key, c);
    }
    if (row.date >= c.latest) {
      c.latest = row.date;
      c.campaign_name = row.campaign_name ?? c.campaign_name;
      c.owner = row.owner ?? c.owner;
      c.category = row.category ?? c.category;
    }
    const k = index.offsetOf.get(row.date);
    if (k === undefined) continue;
    const day: RuleDay = c.days[k]!;
    day.spend += toCents(row.spend);
    day.revenue += toCents(row.revenue);
    day.clicks += count(row.clicks);
    day.impressions += count(row.impressions);
    day.conversions += count(row.conversions);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, { latest: _latest, ...c }]) => (c.adset === undefined ? withoutAdset(c) : c));
}

function withoutAdset(c: RuleCampaign): RuleCampaign {
  const { adset: _adset, ...rest } = c;
  return rest;
}

/** Campaign rows (daily_campaign_metrics) into one RuleCampaign per campaign. */
export function ruleCampaigns(
  rows: readonly RuleRow[],
  yesterday: IsoDate,
  length: number,
  decisions: ReadonlyMap<string, Recommendation> = new Map(),
  live: ReadonlyMap<string, LiveState> = new Map(),
): RuleCampaign[] {
  return group(
    rows,
    yesterday,
    length,
    (row) => row.campaign_id,
    (row) => ({ live: live.get(row.campaign_id) ?? null, decision: decisions.get(row.campaign_id) ?? null }),
  );
}

/** An ad set's Meta state (meta_adset_state): its budget and status, and what it is. */
export interface AdsetLive {
  live: LiveState;
  name: string;
  audienceType: AudienceType;
  learningStatus: string | null;
}

/**
 * Ad-set rows (daily_adset_metrics, `adset_id` set) into one RuleCampaign per ad set, its live
 * state and audience type from Meta when synced, else from the rows. The campaign's decision is
 * not the ad set's, so a decision condition on an ad set has none to agree with.
 */
export function ruleAdsets(
  rows: readonly RuleRow[],
  yesterday: IsoDate,
  length: number,
  live: ReadonlyMap<string, AdsetLive> = new Map(),
): RuleCampaign[] {
  return group(
    rows.filter((r) => r.adset_id),
    yesterday,
    length,
    (row) => row.adset_id!,
    (row) => {
      const meta = live.get(row.adset_id!);
      const audience = audienceTypeSchema.safeParse(row.audience_type);
      return {
        live: meta?.live ?? null,
        decision: null,
        adset: {
          id: row.adset_id!,
          name: meta?.name ?? row.adset_name ?? '',
          audienceType: meta?.audienceType ?? (audience.success ? audience.data : 'broad'),
          learningStatus: meta?.learningStatus ?? null,
        },
      };
    },
  );
}

/** The decision engine's series (fixtures, backtests) as rule rows. */
export function rowsOfSeries(series: readonly CampaignSeries[]): RuleRow[] {
  return series.flatMap((s) =>
    s.days.map((d) => ({
      date: d.date,
      campaign_id: s.campaign_id,
      campaign_name: s.campaign_name,
      owner: s.owner,
      category: s.category,
      spend: d.spend,
      revenue: d.revenue,
    })),
  );
}
