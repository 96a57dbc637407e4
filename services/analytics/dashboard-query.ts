import type { IsoDate } from '../../lib/dates';
import {
  dashboardSummary,
  inScope,
  rankTopPerformers,
  TOP_PERFORMERS,
  type AdsetWindowRow,
  type CampaignFilter,
  type CampaignWindowRow,
  type EntityWindowRow,
  type TopCandidate,
} from '../../lib/metrics/dashboard';
import { toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/** The one row of dashboardKeptSql and dashboardCampaignsSql (metrics/dashboard_projection.sql). */
interface CampaignPart {
  spend: string;
  revenue: string;
  active_campaigns: number;
  positive_margin_campaigns: number;
  by_owner:
    { owner: string; spend: string; margin: string; top_campaigns: string[]; scaling_opportunities: number }[] | null;
  top:
    | (Pick<CampaignWindowRow, 'campaign_id' | 'campaign_name' | 'owner' | 'spend' | 'margin' | 'roas'> & {
        recommendation: string;
      })[]
    | null;
}

/**
 * The dashboard at `level=auto` from the day's stored decisions (the caller has checked they are
 * current): summary, by_owner and the best campaigns are computed in DuckDB, so an uncached answer
 * turns tens of rows into JS objects, not one per campaign (BENCHMARKS.md "JSON API, uncached").
 * The same answer as buildDashboard over campaign_window.sql's rows. A standard window is read from the
 * rows resolved when the day's decisions were stored (migration 026); ad-set rows are read only when
 * the window can hold any, and then replace their campaign's row in top_performers (level-rows.ts).
 */
export async function storedLevelDashboard(
  warehouse: Warehouse,
  q: { start: IsoDate; end: IsoDate; owner: string; filter: CampaignFilter; asOf: IsoDate },
) {
  const [present, kept] = await Promise.all([
    warehouse.one<{ present: boolean }>(sqlFile('metrics/has_adset_window_rows'), [q.start, q.end]),
    warehouse.one<{ present: boolean; resolved: boolean }>(sqlFile('metrics/has_window_totals'), [
      q.start,
      q.end,
      q.asOf,
    ]),
  ]);
  const adsetPart = present?.present ? await adsetRows(warehouse, q) : undefined;
  const perAdset = new Set(adsetPart?.rows.map((r) => r.campaign_id));
  // Enough campaigns that dropping the ones decided per ad set still leaves the top 10.
  const sql = kept?.resolved ? dashboardKeptSql() : dashboardCampaignsSql(kept?.present ?? false);
  const part = (await warehouse.one<CampaignPart>(sql, [
    q.start,
    q.end,
    q.owner,
    q.filter,
    q.asOf,
    TOP_PERFORMERS + perAdset.size,
  ]))!;
  const campaigns = (part.top ?? [])
    .filter((r) => !perAdset.has(r.campaign_id))
    .map((r) => ({ ...r, entity_type: 'campaign' as const, entity_id: r.campaign_id }));
  const recommendations = new Map(campaigns.map((r) => [`campaign/${r.entity_id}`, r.recommendation]));
  for (const [id, recommendation] of adsetPart?.recommendations ?? [])
    recommendations.set(`adset/${id}`, recommendation);
  const entities: TopCandidate[] = [...campaigns, ...(adsetPart?.inScope ?? [])];
  return {
    summary: dashboardSummary(
      toCents(part.spend),
      toCents(part.revenue),
      part.active_campaigns,
      part.positive_margin_campaigns,
    ),
    by_owner: (part.by_owner ?? []).map((o) => ({
      owner: o.owner,
      spend: toCents(o.spend) / 100,
      margin: toCents(o.margin) / 100,
      top_campaigns: o.top_campaigns,
      scaling_opportunities: o.scaling_opportunities,
    })),
    top_performers: rankTopPerformers(entities, (type, id) => recommendations.get(`${type}/${id}`) ?? 'hold'),
  };
}

/**
 * The dashboard's campaign query when the rows resolved at the day's store (dashboard_kept.sql) do not
 * hold the window: over the loader's kept totals when they hold the window (a few rows
 * per campaign), otherwise rolled up from campaign_days (any custom window); the same answer either way.
 */
export function dashboardCampaignsSql(kept: boolean): string {
  const totals = sqlFile(kept ? 'metrics/window_totals_kept' : 'metrics/window_totals_days');
  return `${totals},\n${sqlFile('metrics/dashboard_campaigns')}${sqlFile('metrics/dashboard_projection')}`;
}

/** The dashboard's campaign query over the rows resolved at the day's store (they hold the window). */
export function dashboardKeptSql(): string {
  return `${sqlFile('metrics/dashboard_kept')}${sqlFile('metrics/dashboard_projection')}`;
}

/**
 * The window's ad-set rows of campaigns whose ad sets hold the budgets (all, and those in the filter's
 * scope), with the ad sets' stored recommendations.
 */
async function adsetRows(
  warehouse: Warehouse,
  q: { start: IsoDate; end: IsoDate; owner: string; filter: CampaignFilter; asOf: IsoDate },
) {
  const [adsets, budgets, scaleUps, decided] = await Promise.all([
    warehouse.all<AdsetWindowRow>(sqlFile('metrics/adset_window'), [q.start, q.end, q.owner]),
    warehouse.all<{ campaign_id: string }>(sqlFile('metrics/adset_budget_campaigns'), [q.start, q.end]),
    warehouse.all<{ campaign_id: string; adset_id: string | null }>(sqlFile('pipeline/stored_budget_raises'), [q.asOf]),
    warehouse.all<{ adset_id: string; recommendation: string }>(sqlFile('pipeline/stored_adset_recommendations'), [
      q.asOf,
    ]),
  ]);
  const budgetCampaigns = new Set(budgets.map((b) => b.campaign_id));
  const ctx = {
    filter: q.filter,
    openScaleUp: new Set<string>(),
    openScaleUpAdsets: new Set(scaleUps.flatMap((a) => (a.adset_id ? [a.adset_id] : []))),
    recommendationOf: () => 'hold',
  };
  const picked = adsets
    .filter((r) => budgetCampaigns.has(r.campaign_id))
    .map((r): EntityWindowRow => ({ ...r, entity_type: 'adset', entity_id: r.adset_id }));
  return {
    // Every picked ad set's campaign is replaced, in scope or not (rowsAtLevel), so the filter comes after.
    rows: picked,
    inScope: picked.filter((r) => inScope(r, ctx)),
    recommendations: decided.map((d) => [d.adset_id, d.recommendation] as const),
  };
}

/** Whether daily_adset_metrics can hold a row at all (data/sql/metrics/has_adset_rows.sql). */
export async function hasAdsetRows(warehouse: Warehouse): Promise<boolean> {
  return (await warehouse.one<{ present: boolean }>(sqlFile('metrics/has_adset_rows')))?.present ?? false;
}
