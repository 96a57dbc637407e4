import { z } from 'zod';
import { isoDateSchema, yesterdayOf, type IsoDate } from '../dates';
import {
  alertCampaign,
  alertDays,
  alertVerdict,
  compareAlerts,
  entityOf,
  type Alert,
  type AlertRules,
  type OverruledStreak,
} from '../rules/alerts';
import { ANOMALY_LOOKBACK, anomaliesFor, type AnomalyFlag } from './anomalies';
import { decideCampaign, type Decision } from './decide';
import type { Level } from '../levels';
import { rowsAtLevel, thresholdsFor } from './level';
import {
  compareEntities,
  dailyTotals,
  groupRows,
  instantSchema,
  toMillis,
  windowIndex,
  withEntity,
  type CampaignSeriesInput,
  type ChangeFact,
  type DailyRow,
} from './series';
import { resolveThresholds, thresholdsConfigSchema, type ThresholdsConfig } from './thresholds';

export * from './anomalies';
export { alertSchema, compareAlerts, type Alert, type AlertRules, type OverruledStreak } from '../rules/alerts';
export * from './decide';
export * from './level';
export * from './series';
export * from './thresholds';

export const evaluationOptionsSchema = z.object({
  /** The date the question is asked on; every window ends the day before. */
  as_of: isoDateSchema,
  /**
   * The instant cooldowns are measured at (the workflow clock, or for a reproducible `--as-of`
   * the start of as_of in TZ). Never read from the wall clock here.
   */
  now: instantSchema,
  thresholds: thresholdsConfigSchema,
  /** How many days ending yesterday get anomaly flags (1: yesterday only). */
  anomaly_days: z.number().int().min(0).max(366).default(1),
});
export type EvaluationOptions = z.input<typeof evaluationOptionsSchema>;

export interface Evaluation {
  as_of: IsoDate;
  yesterday: IsoDate;
  /** Every campaign, by campaign_id. */
  decisions: Decision[];
  /** Alerts the decisions agree with, in METRICS.md order. */
  alerts: Alert[];
  /** Streaks the decision (or a cooldown) held back, by campaign_id: shown in the report, not alerted. */
  overruled: OverruledStreak[];
  /** By campaign_id, then date (newest first). */
  anomalies: AnomalyFlag[];
}

/**
 * How many days ending yesterday the decisions and the alert rules read: the 7-day window, the
 * longest window any alert rule reads with any owner's thresholds, and anomaly_days plus the 7
 * trailing days. Fetch at least this many rows.
 */
export function daysNeeded(thresholds: ThresholdsConfig, rules: AlertRules, anomalyDays = 1): number {
  const all = resolveThresholds(thresholdsConfigSchema.parse(thresholds)).all;
  return Math.max(7, anomalyDays > 0 ? anomalyDays + ANOMALY_LOOKBACK : 0, ...all.map((t) => alertDays(rules(t))));
}

/**
 * Decisions, then the alert rules (RULES_DIR's rules with an alert section, each filled with the
 * campaign owner's thresholds), and anomaly flags for every campaign, as of `as_of`. Each series
 * needs its last daysNeeded() days ending yesterday (older days are only read to find a launch
 * date when none is given).
 */
export function evaluateCampaigns(
  campaigns: readonly CampaignSeriesInput[],
  options: EvaluationOptions,
  rules: AlertRules,
  /**
   * The campaigns whose anomalies are flagged: by default the campaign series among `campaigns`.
   * Decided per ad set, a campaign still gets its anomalies from its own totals.
   */
  anomalyCampaigns?: readonly CampaignSeriesInput[],
): Evaluation {
  const opts = evaluationOptionsSchema.parse(options);
  const yesterday = yesterdayOf(opts.as_of);
  const nowMs = toMillis(opts.now);
  const thresholds = resolveThresholds(opts.thresholds);
  const index = windowIndex(yesterday, daysNeeded(opts.thresholds, rules, opts.anomaly_days));

  const decisions: Decision[] = [];
  const alerts: Alert[] = [];
  const overruled: OverruledStreak[] = [];
  const anomalies: AnomalyFlag[] = [];
  const sorted = campaigns.map(withEntity).sort(compareEntities);
  for (const series of sorted) {
    // An ad set is judged with its campaign owner's thresholds, its step scaled by its audience type.
    const t = thresholdsFor(thresholds.of(series.owner), series.audience_type);
    const totals = dailyTotals(series, index);
    const decision = decideCampaign(series, totals, index, t, nowMs);
    decisions.push(decision);
    const seen = alertCampaign(series, totals, decision.recommendation);
    for (const rule of rules(t)) {
      const verdict = alertVerdict(rule, seen, entityOf(series));
      if (verdict && 'alert' in verdict) alerts.push(verdict.alert);
      else if (verdict) overruled.push(verdict.overruled);
    }
  }
  if (opts.anomaly_days > 0) {
    const flagged = anomalyCampaigns
      ? anomalyCampaigns.map(withEntity).sort(compareEntities)
      : sorted.filter((s) => s.entity_type === 'campaign');
    for (const series of flagged) {
      const t = thresholds.of(series.owner);
      anomalies.push(...anomaliesFor(series, dailyTotals(series, index), index, t, opts.anomaly_days));
    }
  }
  alerts.sort(compareAlerts);
  return { as_of: opts.as_of, yesterday, decisions, alerts, overruled, anomalies };
}

/**
 * The same from flat `daily_campaign_metrics` rows and change facts (Meta state changes and
 * executed budget changes, any number per campaign), as the warehouse returns them.
 * `launchDates` (campaign_id, or `adset/<id>` for an ad set -> first day with spend) lets the rows
 * be only the recent window. With `level`, `rows` are the campaign rows and `level.adsetRows` the
 * `daily_adset_metrics` rows: decisions and alerts are made at that level (rowsAtLevel), anomalies
 * stay the campaigns'.
 */
export function evaluateRows(
  rows: readonly DailyRow[],
  changes: readonly ChangeFact[],
  options: EvaluationOptions,
  rules: AlertRules,
  launchDates?: ReadonlyMap<string, IsoDate>,
  level?: { level: Level; adsetRows: readonly DailyRow[]; adsetBudgetCampaigns: ReadonlySet<string> },
): Evaluation {
  if (!level || level.level === 'campaign')
    return evaluateCampaigns(groupRows(rows, changes, launchDates), options, rules);
  const decided = rowsAtLevel(level.level, rows, level.adsetRows, level.adsetBudgetCampaigns);
  return evaluateCampaigns(
    groupRows(decided, changes, launchDates),
    options,
    rules,
    groupRows(rows, changes, launchDates),
  );
}
