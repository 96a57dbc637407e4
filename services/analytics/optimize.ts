import type { Config } from '../../lib/config';
import { addDays, yesterdayOf, type IsoDate } from '../../lib/dates';
import type { Level } from '../../lib/levels';
import {
  optimizeBudget,
  optimizerEntities,
  PLAN_CURRENCY,
  splitByCurrency,
  withDefaults,
  type AdsetBudget,
  type BudgetRequest,
  type OptimizerDayRow,
} from '../../lib/optimizer';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export interface OptimizeScope {
  as_of: IsoDate;
  /** Lower-cased owner, or 'all'. */
  owner: string;
  level: Level;
}

/**
 * `POST /api/facebook/optimize/budget` (METRICS.md "Budget optimisation", "Levels"): the 28 days
 * ending yesterday of every campaign and, unless the level is campaign, every ad set, with their
 * live budgets, planned where each budget lives.
 */
export async function optimizeAt(warehouse: Warehouse, config: Config, request: BudgetRequest, scope: OptimizeScope) {
  const yesterday = yesterdayOf(scope.as_of);
  const window = [addDays(yesterday, -27), yesterday, scope.owner];
  const byAdset = scope.level !== 'campaign';
  const [campaignRows, budgets, adsetRows, adsetBudgets] = await Promise.all([
    warehouse.all<OptimizerDayRow>(sqlFile('metrics/optimizer_history'), window),
    warehouse.all<{ campaign_id: string; daily_budget: string | null; currency: string | null }>(
      sqlFile('metrics/optimizer_budgets'),
    ),
    byAdset
      ? warehouse.all<OptimizerDayRow & { adset_id: string }>(sqlFile('metrics/optimizer_adset_history'), window)
      : [],
    byAdset ? warehouse.all<AdsetBudget & { adset_id: string }>(sqlFile('metrics/optimizer_adset_budgets')) : [],
  ]);
  const adsetsById = new Map(adsetBudgets.map((b) => [b.adset_id, b]));
  const entities = optimizerEntities({
    level: scope.level,
    campaignRows,
    adsetRows,
    campaignBudgets: new Map(budgets.map((b) => [b.campaign_id, b.daily_budget])),
    adsetBudgets: adsetsById,
  });
  // One currency per plan (lib/optimizer/currency.ts): an ad set's own account, else its campaign's.
  const campaignCurrency = new Map(budgets.map((b) => [b.campaign_id, b.currency]));
  const { planned, others } = splitByCurrency(
    entities,
    (e) =>
      (e.adset_id ? adsetsById.get(e.adset_id)?.currency : null) ?? campaignCurrency.get(e.campaign_id) ?? undefined,
    request.currency,
  );
  return {
    as_of: scope.as_of,
    owner: scope.owner,
    level: scope.level,
    currency: PLAN_CURRENCY,
    ...optimizeBudget(withDefaults(request, { max_change_pct: config.MAX_CHANGE_PCT }), planned, {
      as_of: scope.as_of,
    }),
    other_currencies: others,
  };
}
