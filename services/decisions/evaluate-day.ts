import type { Config } from '../../lib/config';
import { startOfDayIn } from '../../lib/dates';
import type { AlertRules, AnomalyFlag, Evaluation, ThresholdsConfig } from '../../lib/decisions';
import type { Level } from '../../lib/levels';
import { evaluateAt } from './evaluate';
import { storeEvaluatedAlerts, upsertAlerts } from './store-alerts';
import { decisionInputs, markStored } from './stored';
import { thresholdsWithOverrides } from './owner-thresholds';
import { metrics } from '../prometheus';
import { loadAlertRules } from '../rules/files';
import { evaluateSuggestions, loadBreakdownRules, storeSuggestions } from './suggestions';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export interface DayEvaluation {
  asOf: string;
  campaigns: number;
  alerts: number;
  /** Alerts raised, by alert type. */
  byType: Record<string, number>;
}

/**
 * Computes the day's decisions and alerts and stores them, so the report, the dashboard's
 * `scaling` filter and the history see the same answer. Re-running a day refreshes numbers and
 * keeps each alert's status.
 */
export async function evaluateAndStore(
  warehouse: Warehouse,
  config: Config,
  thresholds: ThresholdsConfig,
  asOf: string,
  nowMs?: number,
  rules: AlertRules = loadAlertRules(config.RULES_DIR),
  // The backtest forces `campaign` to measure campaign-only decisions against `auto` on the same market.
  level: Level = 'auto',
): Promise<DayEvaluation> {
  const at = nowMs ?? startOfDayIn(config.TZ, asOf);
  // Taken before the engine reads: a write in between leaves the mark stale, never the decisions.
  const inputs = await decisionInputs(warehouse, { asOf, level, nowMs: at, timeZone: config.TZ, thresholds, rules });
  const evaluation = await evaluateAt(warehouse, { asOf, nowMs: at, timeZone: config.TZ, thresholds, rules, level });
  // Breakdown rules (issue 21) raise suggestions beside the alerts, from Meta's breakdown tables.
  const breakdownRules = loadBreakdownRules(config.RULES_DIR);
  const suggestions = await evaluateSuggestions(warehouse, breakdownRules, asOf);
  await storeEvaluation(warehouse, asOf, level, evaluation, inputs, () =>
    storeSuggestions(warehouse, asOf, breakdownRules, suggestions),
  );
  const byType: Record<string, number> = {};
  for (const a of [...evaluation.alerts, ...suggestions.map((s) => s.alert)]) {
    metrics.alertsRaised.inc({ type: a.type });
    byType[a.type] = (byType[a.type] ?? 0) + 1;
  }
  return {
    asOf,
    campaigns: evaluation.decisions.length,
    alerts: evaluation.alerts.length + suggestions.length,
    byType,
  };
}

/**
 * Stores a day's decisions and alerts in one transaction, with what they were computed from
 * (`inputs`, stored.ts) so the dashboard reads them back while they are current.
 */
export async function storeEvaluation(
  warehouse: Warehouse,
  asOf: string,
  level: Level,
  evaluation: Evaluation,
  inputs: string | undefined,
  // Stores more alerts of the day (the breakdown suggestions) in the same transaction, before
  // the day's unraised alerts expire.
  alsoStore: () => Promise<void> = async () => {},
): Promise<void> {
  await warehouse.transaction(async () => {
    // One statement for every campaign: thousands of single-row inserts would take seconds.
    // The day's anomaly flags ride in each campaign's detail: the engine computes them in the same
    // pass, and the daily report reads them back in SQL (reports/daily/cells/070_anomalies.sql), so
    // the report shows exactly what the pipeline decided on, without a table of its own.
    const flags = new Map<string, AnomalyFlag[]>();
    for (const a of evaluation.anomalies) flags.set(a.campaign_id, [...(flags.get(a.campaign_id) ?? []), a]);
    // Anomalies are the campaign's: on its own row, or (decided per ad set) on its first ad set's.
    const flagged = new Set<string>();
    const rows = evaluation.decisions.map((d) => {
      const first = !flagged.has(d.campaign_id);
      flagged.add(d.campaign_id);
      return { ...d, detail: JSON.stringify({ ...d, anomalies: first ? (flags.get(d.campaign_id) ?? []) : [] }) };
    });
    await warehouse.run(sqlFile('pipeline/upsert_decisions'), [asOf, JSON.stringify(rows)]);
    await upsertAlerts(warehouse, asOf, evaluation.alerts);
    await storeEvaluatedAlerts(warehouse, asOf, evaluation.alerts);
    await alsoStore();
    await warehouse.run(sqlFile('pipeline/expire_alerts'), [asOf]);
    await markStored(warehouse, asOf, level, inputs);
  });
}

/**
 * The daily pipeline's evaluation of one day with this deployment's thresholds (THRESHOLDS_FILE):
 * the evaluateDay activity and the hand-run `scaleflow report` call this one function, so a day
 * the report evaluated holds what the pipeline would have stored (and `scaleflow alerts` answers).
 */
export async function evaluateDay(warehouse: Warehouse, config: Config, asOf: string): Promise<DayEvaluation> {
  // With the per-owner overrides approvers accepted from calibration (owner_thresholds).
  return evaluateAndStore(warehouse, config, await thresholdsWithOverrides(warehouse, config.THRESHOLDS_FILE), asOf);
}
