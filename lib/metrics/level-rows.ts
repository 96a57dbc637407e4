import type { Level } from '../levels';

/**
 * The rows an answer lists at a level (METRICS.md "Levels", as lib/decisions/level.ts decides):
 * `campaign`, every campaign's; `adset`, every ad set's; `auto`, the ad sets' of the campaigns whose
 * ad sets hold the budgets (`adsetBudgetCampaigns`, when they have ad-set rows) in place of their
 * campaign's, and every other campaign's. `asCampaign` and `asAdset` make the answer's row of each.
 */
export function rowsAtLevel<C extends { campaign_id: string }, A extends { campaign_id: string }, T>(
  level: Level,
  campaigns: readonly C[],
  adsets: readonly A[],
  adsetBudgetCampaigns: ReadonlySet<string>,
  asCampaign: (row: C) => T,
  asAdset: (row: A) => T,
): T[] {
  if (level === 'campaign') return campaigns.map(asCampaign);
  const picked = adsets.filter((r) => level === 'adset' || adsetBudgetCampaigns.has(r.campaign_id));
  if (level === 'adset') return picked.map(asAdset);
  const perAdset = new Set(picked.map((r) => r.campaign_id));
  return [...campaigns.filter((r) => !perAdset.has(r.campaign_id)).map(asCampaign), ...picked.map(asAdset)];
}
