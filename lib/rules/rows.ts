import type { Recommendation } from '../decisions/decide';
import type { CampaignSeries } from '../decisions/series';
import { windowIndex } from '../decisions/series';
import type { IsoDate } from '../dates';
import { toCents } from '../money';
import { ZERO_DAY, type LiveState, type RuleCampaign, type RuleDay } from './measure';

/** One row of daily_campaign_metrics as the rules read it (amounts as DECIMAL strings). */
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
}

const count = (v: number | string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

/**
 * Rows (any order) into one RuleCampaign per campaign with `length` days ending yesterday, newest
 * first; rows after yesterday are not known as of as_of and are ignored. Name, owner and category
 * come from the latest row.
 */
export function ruleCampaigns(
  rows: readonly RuleRow[],
  yesterday: IsoDate,
  length: number,
  decisions: ReadonlyMap<string, Recommendation> = new Map(),
  live: ReadonlyMap<string, LiveState> = new Map(),
): RuleCampaign[] {
  const index = windowIndex(yesterday, Math.max(1, length));
  const byId = new Map<string, RuleCampaign & { latest: IsoDate }>();
  for (const row of rows) {
    if (row.date > yesterday) continue;
    let c = byId.get(row.campaign_id);
    if (!c) {
      c = {
        campaign_id: row.campaign_id,
        campaign_name: '',
        owner: '',
        category: '',
        days: Array.from({ length: index.length }, () => ({ ...ZERO_DAY })),
        live: live.get(row.campaign_id) ?? null,
        decision: decisions.get(row.campaign_id) ?? null,
        latest: '',
      };
      byId.set(row.campaign_id, c);
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
  return [...byId.values()]
    .map(({ latest: _latest, ...c }) => c)
    .sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : 1));
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
