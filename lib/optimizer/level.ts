import type { Level } from '../levels';
import type { OptimizerCampaign } from './index';

/** One day of a campaign's or an ad set's spend and revenue (DECIMAL strings from the warehouse). */
export interface OptimizerDayRow {
  campaign_id: string;
  date: string;
  spend: string;
  revenue: string;
}

/** An ad set's live budget: its daily budget (0 when not active, null under its campaign's budget). */
export interface AdsetBudget {
  campaign_id: string;
  daily_budget: string | null;
  /** The budget lives on this ad set, not on its campaign (meta_adset_state.holds_budget). */
  holds_budget: boolean;
  /** Its ad account's currency. */
  currency?: string | null;
}

export interface OptimizerLevelInput {
  level: Level;
  campaignRows: readonly OptimizerDayRow[];
  adsetRows: readonly (OptimizerDayRow & { adset_id: string })[];
  /** campaign_id -> Meta's live daily budget (optimizer_budgets.sql). */
  campaignBudgets: ReadonlyMap<string, string | null>;
  /** adset_id -> its live budget (optimizer_adset_budgets.sql). */
  adsetBudgets: ReadonlyMap<string, AdsetBudget>;
}

/**
 * What the optimiser allocates over, by level (METRICS.md "Levels"): at `campaign` every campaign;
 * at `adset` every ad set; at `auto` each campaign where its budget lives, so a campaign whose ad
 * sets hold the budgets (and have ad-set history) is replaced by them, each fitted on its own
 * days and starting from its own live budget. A budget recommended on a campaign that has none
 * could not be written, and one campaign row would hide the winner among its ad sets.
 */
export function optimizerEntities(input: OptimizerLevelInput): OptimizerCampaign[] {
  const byCampaign = new Map<string, OptimizerCampaign & { history: OptimizerDayRow[] }>();
  const byAdset = new Map<string, OptimizerCampaign & { history: OptimizerDayRow[] }>();
  const adsetHeld = (adsetId: string) => input.adsetBudgets.get(adsetId)?.holds_budget === true;
  const split = new Set<string>();
  if (input.level !== 'campaign') {
    for (const r of input.adsetRows) {
      if (input.level === 'auto' && !adsetHeld(r.adset_id)) continue;
      split.add(r.campaign_id);
      const entry = byAdset.get(r.adset_id) ?? {
        campaign_id: r.campaign_id,
        adset_id: r.adset_id,
        current_budget: input.adsetBudgets.get(r.adset_id)?.daily_budget ?? null,
        history: [],
      };
      entry.history.push({ campaign_id: r.campaign_id, date: r.date, spend: r.spend, revenue: r.revenue });
      byAdset.set(r.adset_id, entry);
    }
  }
  if (input.level !== 'adset') {
    for (const r of input.campaignRows) {
      if (split.has(r.campaign_id)) continue;
      const entry = byCampaign.get(r.campaign_id) ?? {
        campaign_id: r.campaign_id,
        current_budget: input.campaignBudgets.get(r.campaign_id) ?? null,
        history: [],
      };
      entry.history.push(r);
      byCampaign.set(r.campaign_id, entry);
    }
  }
  return [...byCampaign.values(), ...byAdset.values()];
}
