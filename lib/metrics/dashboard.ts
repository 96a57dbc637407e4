import { z } from 'zod';
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

export const campaignFilterSchema = z.enum(['all', 'active', 'scaling', 'losers']);
export type CampaignFilter = z.infer<typeof campaignFilterSchema>;

export interface DashboardContext {
  filter: CampaignFilter;
  /** Campaigns with an open alert that raises the budget (a margin gain) as of as_of. */
  openScaleUp: ReadonlySet<string>;
  /** The decision engine's recommendation per campaign (only top performers need one). */
  recommendationOf(campaignId: string): string;
}

const dollars = (cents: number) => cents / 100;

function inScope(row: CampaignWindowRow, ctx: DashboardContext): boolean {
  switch (ctx.filter) {
    case 'all':
      return true;
    case 'active':
      return toCents(row.last_day_spend) > 0;
    case 'scaling':
      return ctx.openScaleUp.has(row.campaign_id);
    case 'losers':
      return toCents(row.margin) < 0;
  }
}

/** Highest margin first; ties by campaign_id so every answer is stable. */
function byMarginDesc(a: CampaignWindowRow, b: CampaignWindowRow): number {
  return toCents(b.margin) - toCents(a.margin) || (a.campaign_id < b.campaign_id ? -1 : 1);
}

/** METRICS.md "Dashboard": summary, by_owner and top_performers over the rows in scope. */
export function buildDashboard(rows: CampaignWindowRow[], ctx: DashboardContext) {
  const scoped = rows.filter((r) => inScope(r, ctx));
  const spend = scoped.reduce((s, r) => s + toCents(r.spend), 0);
  const revenue = scoped.reduce((s, r) => s + toCents(r.revenue), 0);
  const margin = revenue - spend;
  const summary = {
    total_spend: dollars(spend),
    total_revenue: dollars(revenue),
    total_margin: dollars(margin),
    margin_rate: spend === 0 ? null : roundTo(margin / spend, 3),
    active_campaigns: scoped.filter((r) => toCents(r.spend) > 0).length,
    positive_margin_campaigns: scoped.filter((r) => toCents(r.margin) > 0).length,
  };

  const owners = new Map<string, CampaignWindowRow[]>();
  for (const row of scoped) owners.set(row.owner, [...(owners.get(row.owner) ?? []), row]);
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

  const topPerformers = scoped
    .filter((r) => toCents(r.margin) > 0)
    .sort(byMarginDesc)
    .slice(0, 10)
    .map((r) => ({
      campaign_id: r.campaign_id,
      name: r.campaign_name,
      owner: r.owner,
      spend: dollars(toCents(r.spend)),
      margin: dollars(toCents(r.margin)),
      roas: r.roas,
      recommendation: ctx.recommendationOf(r.campaign_id),
    }));

  return { summary, by_owner: byOwner, top_performers: topPerformers };
}
