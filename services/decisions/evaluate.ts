import { addDays, startOfDayIn, yesterdayOf, type IsoDate } from '../../lib/dates';
import {
  daysNeeded,
  evaluateRows,
  type AlertRules,
  type ChangeFact,
  type DailyRow,
  type Evaluation,
  type ThresholdsConfig,
} from '../../lib/decisions';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export interface EvaluateOptions {
  asOf: IsoDate;
  /** Cooldowns are measured at this instant; default the start of as_of in the account time zone. */
  nowMs?: number;
  owner?: string;
  timeZone: string;
  thresholds: ThresholdsConfig;
  /** The alert rules (RULES_DIR), evaluated after the decisions. */
  rules: AlertRules;
  anomalyDays?: number;
}

/**
 * Decisions, alerts and anomalies as of a date, from the warehouse: the production path shared by
 * the API, the CLI, the daily pipeline and the backtest.
 */
export async function evaluateAt(warehouse: Warehouse, o: EvaluateOptions): Promise<Evaluation> {
  const yesterday = yesterdayOf(o.asOf);
  const nowMs = o.nowMs ?? startOfDayIn(o.timeZone, o.asOf);
  // As many days as the longest rule of any owner reads (a per-owner cut_days of 10 reads 10).
  const lookback = daysNeeded(o.thresholds, o.rules, o.anomalyDays ?? 1);
  const [rows, launches, changes] = await Promise.all([
    warehouse.all<DailyRow>(sqlFile('metrics/recent_rows'), [
      addDays(yesterday, -(lookback - 1)),
      yesterday,
      (o.owner ?? 'all').toLowerCase(),
    ]),
    warehouse.all<{ campaign_id: string; launch_date: string }>(sqlFile('metrics/launch_dates'), [yesterday]),
    changeFacts(warehouse, nowMs),
  ]);
  return evaluateRows(
    rows,
    changes,
    { as_of: o.asOf, now: nowMs, thresholds: o.thresholds, anomaly_days: o.anomalyDays ?? 1 },
    o.rules,
    new Map(launches.map((l) => [l.campaign_id, l.launch_date])),
  );
}

/** Changes scaleflow executed, plus (when the Meta sync has run) changes seen on Meta. */
export async function changeFacts(warehouse: Warehouse, nowMs: number): Promise<ChangeFact[]> {
  return warehouse.all<ChangeFact>(sqlFile('metrics/executed_change_facts'), [nowMs]);
}
