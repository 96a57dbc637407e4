import type { Config } from '../../lib/config';
import { startOfDayIn, type IsoDate } from '../../lib/dates';
import type { Alert, Evaluation, ThresholdsConfig } from '../../lib/decisions';
import type { Level } from '../../lib/levels';
import { storeEvaluation } from '../decisions/evaluate-day';
import { storedAlerts } from '../decisions/store-alerts';
import {
  decisionInputs,
  storedAreCurrent,
  storedDashboardDecisions,
  type DashboardDecisions,
} from '../decisions/stored';
import { loadAlertRules } from '../rules/files';
import type { Warehouse } from '../warehouse/warehouse';

/** The level the daily pipeline stores (evaluateDay): the only one the dashboard stores or reads back. */
export const STORED_LEVEL: Level = 'auto';

export function dashboardParts(evaluation: Evaluation): DashboardDecisions {
  // An open alert that would raise the budget: the dashboard's `scaling` filter.
  const scaleUps = evaluation.alerts.filter((a) => a.potential_margin_gain !== undefined);
  return {
    recommendations: new Map(evaluation.decisions.map((d) => [`${d.entity_type}/${d.entity_id}`, d.recommendation])),
    scaleUpCampaigns: new Set(scaleUps.map((a) => a.campaign_id)),
    scaleUpAdsets: new Set(scaleUps.flatMap((a) => (a.adset_id ? [a.adset_id] : []))),
  };
}

/**
 * The dashboard's decisions of a day: the stored ones when they were computed from the inputs the
 * warehouse, thresholds and rules hold now (stored.ts); otherwise computed for every owner, stored
 * (when this process may write), and used, so the next uncached answer reads them. Other levels
 * than the pipeline's are computed per request by `evaluate` (the answer cache keeps them).
 */
export function createDashboardDecisions(o: {
  warehouse: Warehouse;
  config: Config;
  thresholds: ThresholdsConfig;
  store: boolean;
  evaluate: (day: IsoDate, who: string, at: Level) => Promise<Evaluation>;
}) {
  // Concurrent answers over the same stale inputs share one evaluation and one store.
  const computing = new Map<string, Promise<DashboardDecisions>>();
  const inputsOf = (day: IsoDate) => {
    const rules = loadAlertRules(o.config.RULES_DIR);
    const at = { asOf: day, level: STORED_LEVEL, nowMs: startOfDayIn(o.config.TZ, day), timeZone: o.config.TZ, rules };
    return decisionInputs(o.warehouse, { ...at, thresholds: o.thresholds });
  };
  const compute = (day: IsoDate, inputs: string | undefined) => {
    const key = `${day}/${inputs}`;
    let pending = computing.get(key);
    if (!pending) {
      pending = (async () => {
        const evaluation = await o.evaluate(day, 'all', STORED_LEVEL);
        if (o.store && inputs) await storeEvaluation(o.warehouse, day, STORED_LEVEL, evaluation, inputs);
        return dashboardParts(evaluation);
      })().finally(() => computing.delete(key));
      computing.set(key, pending);
    }
    return pending;
  };
  return {
    async decisions(day: IsoDate, who: string, level: Level): Promise<DashboardDecisions> {
      if (level !== STORED_LEVEL) return dashboardParts(await o.evaluate(day, who, level));
      const inputs = await inputsOf(day);
      return (await storedDashboardDecisions(o.warehouse, day, level, inputs)) ?? compute(day, inputs);
    },
    /**
     * The day's alerts at the stored level, one owner's or all: read back when the stored decisions are
     * (or, stored now, become) current; undefined when they cannot be (no rule sources, read-only file).
     */
    async alerts(day: IsoDate, who: string): Promise<Alert[] | undefined> {
      return (await this.current(day)) ? storedAlerts(o.warehouse, day, who) : undefined;
    },
    /**
     * Whether, after this call, the day's stored decisions are current: computed and stored first
     * when they are not and this process may write. Then the dashboard reads them in SQL.
     */
    async current(day: IsoDate): Promise<boolean> {
      const inputs = await inputsOf(day);
      if (!inputs) return false;
      if (await storedAreCurrent(o.warehouse, day, STORED_LEVEL, inputs)) return true;
      if (!o.store) return false;
      await compute(day, inputs);
      return true;
    },
  };
}
