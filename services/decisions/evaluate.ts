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
import type { Level } from '../../lib/levels';
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
  /** Where decisions are made (METRICS.md "Levels"); default `auto`. */
  level?: Level;
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
  const level = o.level ?? 'auto';
  const from = addDays(yesterday, -(lookback - 1));
  const who = (o.owner ?? 'all').toLowerCase();
  const [rows, launches, changes, adsets] = await Promise.all([
    warehouse.all<DailyRow>(sqlFile('metrics/recent_rows'), [from, yesterday, who]),
    warehouse.all<{ campaign_id: string; launch_date: string }>(sqlFile('metrics/launch_dates'), [yesterday]),
    changeFacts(warehouse, nowMs),
    level === 'campaign' ? null : adsetInputs(warehouse, from, yesterday, who, nowMs),
  ]);
  const launchDates = new Map(launches.map((l) => [l.campaign_id, l.launch_date]));
  for (const l of adsets?.launches ?? []) launchDates.set(l.entity_key, l.launch_date);
  return evaluateRows(
    rows,
    [...changes, ...(adsets?.changes ?? [])],
    { as_of: o.asOf, now: nowMs, thresholds: o.thresholds, anomaly_days: o.anomalyDays ?? 1 },
    o.rules,
    launchDates,
    adsets ? { level, adsetRows: adsets.rows, adsetBudgetCampaigns: adsets.budgetCampaigns } : undefined,
  );
}

/** What deciding per ad set reads besides the campaign rows: ad-set rows, launches, changes, and where budgets live. */
async function adsetInputs(warehouse: Warehouse, from: IsoDate, yesterday: IsoDate, who: string, nowMs: number) {
  const [rows, launches, changes, budgets] = await Promise.all([
    warehouse.all<DailyRow>(sqlFile('metrics/recent_adset_rows'), [from, yesterday, who]),
    warehouse.all<{ entity_key: string; launch_date: string }>(sqlFile('metrics/adset_launch_dates'), [yesterday]),
    warehouse.all<ChangeFact>(sqlFile('metrics/adset_change_facts'), [nowMs]),
    warehouse.all<{ campaign_id: string }>(sqlFile('metrics/adset_budget_campaigns'), [from, yesterday]),
  ]);
  return { rows, launches, changes, budgetCampaigns: new Set(budgets.map((b) => b.campaign_id)) };
}

/** Changes scaleflow executed, plus (when the Meta sync has run) changes seen on Meta. */
export async function changeFacts(warehouse: Warehouse, nowMs: number): Promise<ChangeFact[]> {
  return warehouse.all<ChangeFact>(sqlFile('metrics/executed_change_facts'), [nowMs]);
}
