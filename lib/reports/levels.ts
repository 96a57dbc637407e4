import type { CellRow } from './arrow';

/**
 * Ad sets under their campaign (METRICS.md "Levels"). A cell lists a campaign whose ad sets hold
 * the budgets as its campaign row followed by one row per ad set with `row_level = 'adset'` and the
 * columns `adset_name`, `audience_type` and `revenue_source`. Sentences, facts and charts count
 * campaigns, so they see only the campaign rows; the table shows the ad sets indented beneath.
 */
export const isAdsetRow = (row: CellRow): boolean => row.row_level === 'adset';

export function campaignRows(rows: CellRow[]): CellRow[] {
  return rows.some(isAdsetRow) ? rows.filter((r) => !isAdsetRow(r)) : rows;
}

/** How many leading rows hold the first `limit` campaigns with the ad-set rows that follow each. */
export function campaignPrefix(adset: readonly boolean[], limit: number): number {
  let campaigns = 0;
  for (let i = 0; i < adset.length; i++) {
    if (!adset[i]) campaigns += 1;
    if (campaigns > limit) return i;
  }
  return adset.length;
}

export function firstCampaigns(rows: CellRow[], limit: number): CellRow[] {
  return rows.slice(0, campaignPrefix(rows.map(isAdsetRow), limit));
}

/** "↳ Visitors 30d (retargeting)": the ad set's name and audience type, in the campaign's column. */
export function adsetLabel(row: CellRow): string {
  const name = String(row.adset_name ?? row.adset_id ?? '');
  return row.audience_type ? `↳ ${name} (${String(row.audience_type)})` : `↳ ${name}`;
}

/** Beside a revenue split from the campaign's row rather than reported per ad set. */
export const ALLOCATED_MARK = '≈';
export const ALLOCATED_NOTE = `${ALLOCATED_MARK} revenue allocated: strateg.is reported only the campaign that day, split over its ad sets by Meta purchase value`;

export const isAllocated = (row: CellRow): boolean => row.revenue_source === 'allocated';

/** Revenue columns (revenue, revenue_72h) carry the mark on an allocated row. */
export const isRevenueColumn = (name: string): boolean => /^revenue(_|$)/.test(name);
