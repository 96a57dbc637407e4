import { z } from 'zod';
import type { EntityType, Level } from '../levels';
import { rowsAtLevel } from './level-rows';
import { roundTo, toCents } from '../money';

/** One campaign's totals over the window, as data/sql/metrics/campaign_window.sql returns them. */
export interface CampaignWindowRow {
  campaign_id: string;
  campaign_name: string;
  owner: string;
  category: string;
  spend: string;
  revenue: string;
  margin: string;
  roas: number | null;
  last_day_spend: string;
}

/** One ad set's totals over the window, as data/sql/metrics/adset_window.sql returns them. */
export interface AdsetWindowRow extends CampaignWindowRow {
  adset_id: string;
  adset_name: string | null;
  audience_type: string | null;
  revenue_source: string;
}

/** A row of top_performers before it is ranked: a campaign's totals, or an ad set's. */
export type EntityWindowRow = CampaignWindowRow & { entity_type: EntityType; entity_id: string } & Partial<
    Pick<AdsetWindowRow, 'adset_id' | 'adset_name' | 'audience_type' | 'revenue_source'>
  >;

/** top_performers' rows at a level (level-rows.ts): campaigns and ad sets, each naming what it is. */
export function entityRowsAtLevel(
  level: Level,
  campaigns: readonly CampaignWindowRow[],
  adsets: readonly AdsetWindowRow[],
  adsetBudgetCampaigns: ReadonlySet<string>,
): EntityWindowRow[] {
  return rowsAtLevel(
    level,
    campaigns,
    adsets,
    adsetBudgetCampaigns,
    (r): EntityWindowRow => ({ ...r, entity_type: 'campaign', entity_id: r.campaign_id }),
    (r): EntityWindowRow => ({ ...r, entity_type: 'adset', entity_id: r.adset_id }),
  );
}

export const campaignFilterSchema = z.enum(['all', 'active', 'scaling', 'losers']);
export type CampaignFilter = z.infer<typeof campaignFilterSchema>;

export interface DashboardContext {
  filter: CampaignFilter;
  /** Campaigns with an open alert that raises the budget (a margin gain) as of as_of. */
  openScaleUp: ReadonlySet<string>;
  /** The decision engine's recommendation per entity (only top performers need one). */
  recommendationOf(entityType: EntityType, entityId: string): string;
  /** Ad sets (by id) with an open alert that raises the budget: the `scaling` filter of an ad-set row. */
  openScaleUpAdsets?: ReadonlySet<string>;
}

const dollars = (cents: number) => cents / 100;
/** How many entities top_performers lists. */
export const TOP_PERFORMERS = 10;

/** Whether a row counts under the campaign filter (an ad-set row by its own scale-ups). */
export function inScope(
  row: CampaignWindowRow & { entity_type?: EntityType; entity_id?: string },
  ctx: DashboardContext,
) {
  switch (ctx.filter) {
    case 'all':
      return true;
    case 'active':
      return toCents(row.last_day_spend) > 0;
    case 'scaling':
      return row.entity_type === 'adset'
        ? (ctx.openScaleUpAdsets?.has(row.entity_id!) ?? false)
        : ctx.openScaleUp.has(row.campaign_id);
    case 'losers':
      return toCents(row.margin) < 0;
  }
}

/** Highest margin first; ties by campaign_id (then ad set) so every answer is stable. */
type Ranked = Pick<CampaignWindowRow, 'campaign_id' | 'margin'> & { entity_id?: string };
function byMarginDesc(a: Ranked, b: Ranked) {
  const key = (r: typeof a) => `${r.campaign_id}/${r.entity_id ?? ''}`;
  return toCents(b.margin) - toCents(a.margin) || (key(a) < key(b) ? -1 : 1);
}

/** METRICS.md "Dashboard" summary from the scoped campaigns' totals in cents and their counts. */
export function dashboardSummary(spend: number, revenue: number, active: number, positiveMargin: number) {
  const margin = revenue - spend;
  return {
    total_spend: dollars(spend),
    total_revenue: dollars(revenue),
    total_margin: dollars(margin),
    margin_rate: spend === 0 ? null : roundTo(margin / spend, 3),
    active_campaigns: active,
    positive_margin_campaigns: positiveMargin,
  };
}

/**
 * METRICS.md "Dashboard": summary and by_owner over the campaigns in scope, top_performers over
 * the entities (`entities`: the rows at the asked level, entityRowsAtLevel; the campaigns when absent).
 */
export function buildDashboard(
  rows: CampaignWindowRow[],
  ctx: DashboardContext,
  entities: EntityWindowRow[] = entityRowsAtLevel('campaign', rows, [], new Set()),
) {
  const scoped = rows.filter((r) => inScope(r, ctx));
  const spend = scoped.reduce((s, r) => s + toCents(r.spend), 0);
  const revenue = scoped.reduce((s, r) => s + toCents(r.revenue), 0);
  const summary = dashboardSummary(
    spend,
    revenue,
    scoped.filter((r) => toCents(r.spend) > 0).length,
    scoped.filter((r) => toCents(r.margin) > 0).length,
  );

  const owners = new Map<string, CampaignWindowRow[]>();
  // Appended in place: copying the owner's list per row was quadratic (22,200 campaigns, BENCHMARKS.md).
  for (const row of scoped) {
    const list = owners.get(row.owner);
    if (list) list.push(row);
    else owners.set(row.owner, [row]);
  }
  const byOwner = [...owners.entries()]
    .map(([owner, list]) => ({
      owner,
      spendCents: list.reduce((s, r) => s + toCents(r.spend), 0),
      marginCents: list.reduce((s, r) => s + toCents(r.margin), 0),
      top_campaigns: list
        .filter((r) => toCents(r.spend) > 0)
        .sort(byMarginDesc)
        .slice(0, 2)
        .map((r) => r.campaign_id),
      scaling_opportunities: list.filter((r) => ctx.openScaleUp.has(r.campaign_id)).length,
    }))
    .sort((a, b) => b.marginCents - a.marginCents || (a.owner < b.owner ? -1 : 1))
    .map(({ owner, spendCents, marginCents, top_campaigns, scaling_opportunities }) => ({
      owner,
      spend: dollars(spendCents),
      margin: dollars(marginCents),
      top_campaigns,
      scaling_opportunities,
    }));

  const topPerformers = rankTopPerformers(
    entities.filter((r) => inScope(r, ctx)),
    (type, id) => ctx.recommendationOf(type, id),
  );

  return { summary, by_owner: byOwner, top_performers: topPerformers };
}

/** What top_performers shows of an entity's row. */
export type TopCandidate = Omit<EntityWindowRow, 'category' | 'revenue' | 'last_day_spend'>;

/** top_performers: the 10 entities in scope with the highest positive margin, each with its recommendation. */
export function rankTopPerformers(
  entities: readonly TopCandidate[],
  recommendationOf: (entityType: EntityType, entityId: string) => string,
) {
  return entities
    .filter((r) => toCents(r.margin) > 0)
    .sort(byMarginDesc)
    .slice(0, TOP_PERFORMERS)
    .map((r) => ({
      entity_type: r.entity_type,
      entity_id: r.entity_id,
      campaign_id: r.campaign_id,
      adset_id: r.adset_id ?? null,
      name: r.entity_type === 'adset' ? (r.adset_name ?? r.adset_id!) : r.campaign_name,
      ...(r.entity_type === 'adset'
        ? { campaign_name: r.campaign_name, audience_type: r.audience_type, revenue_source: r.revenue_source }
        : {}),
      owner: r.owner,
      spend: dollars(toCents(r.spend)),
      margin: dollars(toCents(r.margin)),
      roas: r.roas,
      recommendation: recommendationOf(r.entity_type, r.entity_id),
    }));
}
