import { roasPct } from '../decisions/series';
import { toCents } from '../money';
import type { Rule } from '../rules/schema';

/**
 * The seed's plain rules, for comparison: raise the budget 40% after 3 days in a row of roas >
 * 130, pause after 5 days in a row of roas < 80. No trend, no minimum spend, no cooldown, no
 * guardrails, no optimiser: it acts every day a streak holds.
 */
export const STREAK = { scaleDays: 3, scaleRoas: 130, scalePct: 40, cutDays: 5, cutRoas: 80 } as const;

export type StreakAction = { campaign_id: string; kind: 'scale'; pct: number } | { campaign_id: string; kind: 'pause' };

export interface StreakRow {
  date: string;
  campaign_id: string;
  spend: string | number;
  revenue: string | number;
}

/** Actions as of the day after `yesterday`, from daily rows (any order) ending yesterday. */
export function streakActions(rows: readonly StreakRow[], yesterdayDates: readonly string[]): StreakAction[] {
  // yesterdayDates[k] = yesterday - k: the days the longest rule reads.
  const need = Math.max(STREAK.scaleDays, STREAK.cutDays);
  if (yesterdayDates.length < need) throw new RangeError(`the streak rules read ${need} days`);
  const offset = new Map(yesterdayDates.map((d, k) => [d, k]));
  const byCampaign = new Map<string, { spend: number[]; revenue: number[] }>();
  for (const row of rows) {
    const k = offset.get(row.date);
    if (k === undefined) continue;
    const c = byCampaign.get(row.campaign_id) ?? {
      spend: new Array<number>(need).fill(0),
      revenue: new Array<number>(need).fill(0),
    };
    c.spend[k]! += toCents(row.spend);
    c.revenue[k]! += toCents(row.revenue);
    byCampaign.set(row.campaign_id, c);
  }
  const streak = (c: { spend: number[]; revenue: number[] }, days: number, holds: (roas: number) => boolean) => {
    for (let k = 0; k < days; k++) {
      const roas = roasPct(c.revenue[k]!, c.spend[k]!);
      if (roas === null || !holds(roas)) return false;
    }
    return true;
  };
  const actions: StreakAction[] = [];
  for (const id of [...byCampaign.keys()].sort()) {
    const c = byCampaign.get(id)!;
    if (streak(c, STREAK.scaleDays, (r) => r > STREAK.scaleRoas))
      actions.push({ campaign_id: id, kind: 'scale', pct: STREAK.scalePct });
    else if (streak(c, STREAK.cutDays, (r) => r < STREAK.cutRoas)) actions.push({ campaign_id: id, kind: 'pause' });
  }
  return actions;
}

/**
 * What the streak's proposals are typed: the alert type of the first alert rule whose Meta action
 * goes the same way (a raise for the scale, a pause for the pause), so the baseline's changes are
 * grouped with the alerts they stand in for and no alert type is spelled out here.
 */
export function streakAlertTypes(rules: readonly Rule[]): Record<StreakAction['kind'], string> {
  const typeOf = (kind: StreakAction['kind'], moves: (a: Rule['actions'][number]) => boolean) => {
    const rule = rules.find((r) => r.alert && r.actions.some(moves));
    const does = kind === 'scale' ? 'raises a budget by a percent' : 'pauses';
    if (!rule) throw new RangeError(`no enabled alert rule ${does}: the streak's ${kind} proposals are typed by one`);
    return rule.alert!.type;
  };
  return {
    scale: typeOf('scale', (a) => 'adjust_budget' in a && (a.adjust_budget.by_percent ?? 0) > 0),
    pause: typeOf('pause', (a) => 'pause' in a),
  };
}
