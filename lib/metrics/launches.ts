import { z } from 'zod';
import { addDays, daysBetween, isoWeek, yesterdayOf, type IsoDate } from '../dates';
import { roundTo, toCents } from '../money';

export const launchesQuerySchema = z.object({
  weeks: z.enum(['1', '4', '12']).default('1').transform(Number),
  owner: z.string().min(1).default('all'),
});

/** One launch, as data/sql/metrics/launches.sql (a campaign) or adset_launches.sql (an ad set) returns it. */
export interface LaunchRow {
  campaign_id: string;
  /** Set on an ad set's launch. */
  adset_id?: string | null;
  adset_name?: string | null;
  audience_type?: string | null;
  launch_date: IsoDate;
  owner: string;
  category: string;
  first_day_margin: string;
  spend_72h: string;
  revenue_72h: string;
}

/** First decision per campaign: a budget change or pause seen on Meta, or an approval decided. */
export type FirstDecisions = ReadonlyMap<string, IsoDate>;

export function launchWindow(asOf: IsoDate, weeks: number): { start: IsoDate; end: IsoDate } {
  const end = yesterdayOf(asOf);
  return { start: addDays(end, -(7 * weeks - 1)), end };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const rate = (num: number, den: number) => (den === 0 ? null : roundTo(num / den, 3));

/**
 * METRICS.md "Launches". A launch is mature once its third day (launch + 2) is complete, i.e. on
 * or before yesterday; days without a row in those three count as no spend.
 */
export function buildLaunches(rows: LaunchRow[], asOf: IsoDate, weeks: number, firstDecisions: FirstDecisions) {
  const yesterday = yesterdayOf(asOf);
  const facts = rows.map((r) => {
    const mature = addDays(r.launch_date, 2) <= yesterday;
    const spend = toCents(r.spend_72h);
    const roas72h = mature && spend > 0 ? roundTo((toCents(r.revenue_72h) / spend) * 100, 1) : null;
    return { ...r, mature, roas72h, successful: roas72h !== null && roas72h >= 100 };
  });
  const mature = facts.filter((f) => f.mature);
  const successful = mature.filter((f) => f.successful);
  const decisionDays = facts.flatMap((f) => {
    const decided = firstDecisions.get(f.campaign_id);
    return decided && decided >= f.launch_date ? [daysBetween(f.launch_date, decided)] : [];
  });
  const avgDecision = mean(decisionDays);

  const group = <K extends string>(key: (f: (typeof facts)[number]) => K) => {
    const groups = new Map<K, typeof facts>();
    for (const f of facts) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  };

  const { start } = launchWindow(asOf, weeks);
  return {
    period: weeks === 1 ? isoWeek(yesterday) : `${isoWeek(start)}..${isoWeek(yesterday)}`,
    total_launched: facts.length,
    mature_launches: mature.length,
    successful_launches: successful.length,
    break_even_rate: rate(successful.length, mature.length),
    avg_time_to_decision: avgDecision === null ? null : `${avgDecision.toFixed(1)} days`,
    by_owner: group((f) => f.owner).map(([owner, list]) => {
      const m = list.filter((f) => f.mature && f.roas72h !== null);
      const avg = mean(m.map((f) => f.roas72h!));
      return {
        owner,
        launched: list.length,
        successful: list.filter((f) => f.successful).length,
        avg_roas_72h: avg === null ? null : roundTo(avg, 1),
      };
    }),
    category_performance: Object.fromEntries(
      group((f) => f.category).map(([category, list]) => {
        const avgFirst = mean(list.map((f) => toCents(f.first_day_margin)));
        return [
          category,
          {
            launched: list.length,
            success_rate: rate(list.filter((f) => f.successful).length, list.filter((f) => f.mature).length),
            avg_first_margin: avgFirst === null ? null : roundTo(avgFirst / 100, 2),
          },
        ];
      }),
    ),
    launches: facts.map((f) => ({
      entity_type: f.adset_id ? ('adset' as const) : ('campaign' as const),
      entity_id: f.adset_id ?? f.campaign_id,
      campaign_id: f.campaign_id,
      adset_id: f.adset_id ?? null,
      ...(f.adset_id ? { adset_name: f.adset_name ?? null, audience_type: f.audience_type ?? null } : {}),
      owner: f.owner,
      category: f.category,
      launch_date: f.launch_date,
      mature: f.mature,
      roas_72h: f.roas72h,
      successful: f.successful,
    })),
  };
}
