import { z } from 'zod';
import { roundTo } from '../money';
import { pct, usd } from './format';
import { roasPct, type CampaignSeries, type DailyTotals, type WindowIndex } from './series';
import { median, populationSd } from './stats';
import type { Thresholds } from './thresholds';

/**
 * Anomaly flags (issue 5, seed rules), for spend, revenue and roas of one day d:
 * - deviation: |x(d) - median| > anomaly_sd * sd, where median and sd are taken over the same
 *   trailing values: the 7 days before d (d itself excluded, so a spike cannot hide itself),
 *   counting only days on or after the launch (no pre-launch zeros) and, for roas, only days with
 *   spend. sd is the population standard deviation of those values around their mean. It needs
 *   at least 3 trailing values, and a perfectly flat week (sd = 0) flags nothing: there is no
 *   spread to be unusual against, and a budget-capped campaign spending $100.00 daily then
 *   $100.50 is not news (a fall is still caught by the drop rule).
 * - drop: x(d) below x(d-1) by more than anomaly_drop_pct percent of x(d-1), with x(d-1) > 0; for
 *   roas both days need spend. A day that stops spending entirely is a 100% drop: a buyer wants
 *   to know when Meta stopped delivering.
 */
export const anomalyFlagSchema = z.object({
  campaign_id: z.string(),
  owner: z.string(),
  date: z.string(),
  metric: z.enum(['spend', 'revenue', 'roas']),
  rule: z.enum(['deviation', 'drop']),
  /** The day's value: dollars, or roas percent. */
  value: z.number(),
  /** deviation: the trailing median; drop: the day before. */
  baseline: z.number(),
  /** deviation: the trailing population sd; drop: null. */
  sd: z.number().nullable(),
  /** drop: the fall in percent of the day before; deviation: null. */
  change_pct: z.number().nullable(),
  description: z.string(),
});
export type AnomalyFlag = z.infer<typeof anomalyFlagSchema>;
type Metric = AnomalyFlag['metric'];

const MIN_TRAILING_VALUES = 3;

/** The day's value of a metric at offset k (0 = yesterday); null when undefined (roas without spend). */
function valueAt(totals: DailyTotals, metric: Metric, k: number): number | null {
  const spend = totals.spend[k] ?? 0;
  if (metric === 'spend') return spend;
  if (metric === 'revenue') return totals.revenue[k] ?? 0;
  return roasPct(totals.revenue[k] ?? 0, spend);
}

function show(metric: Metric, value: number): string {
  return metric === 'roas' ? pct(value) : usd(Math.round(value));
}

// Money works in cents internally; flags report dollars to cents and roas to one decimal.
function out(metric: Metric, value: number): number {
  return metric === 'roas' ? roundTo(value, 1) : roundTo(value / 100, 2);
}

/** Extra days behind the evaluated ones that anomaly detection reads. */
export const ANOMALY_LOOKBACK = 7;

/**
 * Flags for the `days` most recent days ending yesterday. `totals` must cover days + 7 days
 * (ANOMALY_LOOKBACK), newest first.
 */
export function anomaliesFor(
  series: CampaignSeries,
  totals: DailyTotals,
  index: WindowIndex,
  t: Thresholds,
  days = 1,
): AnomalyFlag[] {
  const flags: AnomalyFlag[] = [];
  const launch = totals.launchDate;
  for (let k = 0; k < days; k++) {
    const date = index.dates[k]!;
    if (launch === null || date < launch) continue;
    for (const metric of ['spend', 'revenue', 'roas'] as const) {
      const x = valueAt(totals, metric, k);
      if (x === null) continue;
      const base = { campaign_id: series.campaign_id, owner: series.owner, date, metric, value: out(metric, x) };

      const trailing: number[] = [];
      for (let j = k + 1; j <= k + ANOMALY_LOOKBACK; j++) {
        if (index.dates[j]! < launch) break;
        const v = valueAt(totals, metric, j);
        if (v !== null) trailing.push(v);
      }
      if (trailing.length >= MIN_TRAILING_VALUES) {
        const m = median(trailing);
        const sd = populationSd(trailing);
        if (sd > 0 && Math.abs(x - m) > t.anomaly_sd * sd) {
          const sds = Math.abs(x - m) / sd;
          flags.push({
            ...base,
            rule: 'deviation',
            baseline: out(metric, m),
            sd: out(metric, sd),
            change_pct: null,
            description: `${metric} ${show(metric, x)} is ${sds.toFixed(1)} sd ${x > m ? 'above' : 'below'} the trailing 7-day median ${show(metric, m)}`,
          });
        }
      }

      const prev = valueAt(totals, metric, k + 1);
      // (prev - x) / prev > drop_pct / 100, cross-multiplied so cents stay exact.
      if (prev !== null && prev > 0 && (prev - x) * 100 > t.anomaly_drop_pct * prev) {
        const fall = ((prev - x) / prev) * 100;
        flags.push({
          ...base,
          rule: 'drop',
          baseline: out(metric, prev),
          sd: null,
          change_pct: roundTo(fall, 1),
          description: `${metric} fell ${fall.toFixed(1)}% from ${show(metric, prev)} the day before to ${show(metric, x)}`,
        });
      }
    }
  }
  return flags;
}
