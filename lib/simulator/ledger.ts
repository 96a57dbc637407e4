import { centsToString } from '../money';
import { dateOf, type DayOutcome, type Market } from './market';
import { isReconciled, reportedRevenue } from './restatement';

/**
 * Every simulated day's final numbers, per campaign, and the strateg.is report as it would read
 * on a given morning: the trailing window, with the recent days' revenue not yet reconciled.
 */
export class Ledger {
  /** outcomes[day + warmupDays][campaign] */
  private readonly days: DayOutcome[][] = [];

  constructor(private readonly market: Market) {}

  record(day: number, outcomes: DayOutcome[]): void {
    const slot = day + this.market.warmupDays;
    if (slot !== this.days.length)
      throw new RangeError(`day ${day} recorded out of order (expected ${this.days.length - this.market.warmupDays})`);
    this.days.push(outcomes);
  }

  get lastDay(): number {
    return this.days.length - 1 - this.market.warmupDays;
  }

  outcome(day: number, campaign: number): DayOutcome {
    const row = this.days[day + this.market.warmupDays];
    if (!row) throw new RangeError(`day ${day} has not been simulated`);
    return row[campaign]!;
  }

  /** Final margin (cents) of all campaigns on a day. */
  marginOn(day: number): number {
    let sum = 0;
    for (const o of this.days[day + this.market.warmupDays] ?? []) sum += o.revenueCents - o.spendCents;
    return sum;
  }

  /**
   * The report strateg.is exports on the morning of `asOfDay`: every campaign-day with spend in
   * [from, asOfDay - 1], revenue as known that morning. An ad-set campaign's day is one
   * `level = adset` row per ad set with spend (grain `adset`), or its campaign row only (grain
   * `campaign`, as trackers without {{adset.id}} in the link report it). Restatement closes
   * the campaign's gap on all its ad sets alike.
   */
  reportRows(asOfDay: number, from: number, grain: ReportGrain = 'adset'): ReportRow[] {
    const rows: ReportRow[] = [];
    const first = Math.max(from, -this.market.warmupDays);
    for (let day = first; day < asOfDay; day++) {
      const lag = asOfDay - day;
      this.market.specs.forEach((spec, c) => {
        const o = this.outcome(day, c);
        if (o.spendCents === 0) return;
        const row = (spendCents: number, revenueCents: number): ReportRow => ({
          date: dateOf(this.market, day),
          campaign_id: spec.campaign_id,
          campaign_name: spec.campaign_name,
          owner: spec.owner,
          category: spec.category,
          spend: centsToString(spendCents),
          revenue: centsToString(reportedRevenue(revenueCents, lag, this.market.seed, c, day)),
          account_id: spec.account_id,
          meta_campaign_id: spec.meta_campaign_id,
          is_reconciled: isReconciled(lag),
        });
        if (!spec.adsets || !o.adsets || grain === 'campaign') {
          rows.push(
            spec.adsets
              ? { ...row(o.spendCents, o.revenueCents), ...CAMPAIGN_LEVEL }
              : row(o.spendCents, o.revenueCents),
          );
          return;
        }
        o.adsets.forEach((a, j) => {
          if (a.spendCents === 0) return;
          const adset = spec.adsets![j]!;
          rows.push({
            ...row(a.spendCents, a.revenueCents),
            level: 'adset',
            adset_id: adset.adset_id,
            adset_name: adset.adset_name,
          });
        });
      });
    }
    return rows;
  }
}

/** What an ad-set campaign's rows in the strateg.is report are: one per ad set, or the campaign's only. */
export type ReportGrain = 'adset' | 'campaign';

const CAMPAIGN_LEVEL = { level: 'campaign', adset_id: '', adset_name: '' } as const;

/** One line of the strateg.is report (../shared/strategis-report.md column names). */
export interface ReportRow {
  date: string;
  campaign_id: string;
  campaign_name: string;
  owner: string;
  category: string;
  spend: string;
  revenue: string;
  account_id: string;
  meta_campaign_id: string;
  is_reconciled: boolean;
  /** Only in a market with ad sets: `adset` rows carry Meta's ad-set id. */
  level?: 'adset' | 'campaign';
  adset_id?: string;
  adset_name?: string;
}

const HEADER: (keyof ReportRow)[] = [
  'date',
  'campaign_id',
  'campaign_name',
  'owner',
  'category',
  'spend',
  'revenue',
  'account_id',
  'meta_campaign_id',
  'is_reconciled',
];
const ADSET_HEADER: (keyof ReportRow)[] = ['level', 'adset_id', 'adset_name'];

/**
 * The report as CSV, with the ad-set columns when any row has a level. Every value is generated
 * here (ids, names of letters, digits and `_`, decimals, booleans), so none needs quoting; a value
 * that would is refused rather than written ambiguously.
 */
export function reportCsv(rows: readonly ReportRow[]): string {
  const header = rows.some((r) => r.level) ? [...HEADER, ...ADSET_HEADER] : HEADER;
  const lines = [header.join(',')];
  for (const row of rows) {
    const cells = header.map((h) => String(row[h] ?? ''));
    for (const cell of cells) if (/[",\r\n]/.test(cell)) throw new RangeError(`report value needs quoting: ${cell}`);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
