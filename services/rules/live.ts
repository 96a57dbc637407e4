import { dateIn, startOfDayIn } from '../../lib/dates';
import { audienceTypeSchema } from '../../lib/levels';
import { toCents } from '../../lib/money';
import type { LiveState } from '../../lib/rules/measure';
import type { AdsetLive } from '../../lib/rules/rows';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/** A campaign's or an ad set's latest Meta snapshot as the rules' SQL returns it. */
export interface LiveRow {
  account_id: string;
  meta_campaign_id: string;
  status: string;
  daily_budget: string | null;
  spend_today: string;
  impressions: number;
  clicks: number;
  purchases: number;
  report_date: string;
  as_of_ms: number;
  /** The ad account's time zone (meta_accounts); null before the sync first recorded it. */
  time_zone: string | null;
  /** The ad account's currency: budgets and spend are in it. */
  currency?: string | null;
}

/**
 * Today's numbers count only when the snapshot was taken on the team's day as_of (in `timeZone`,
 * config TZ); the share of the day gone, for pacing, is of the account's own day in its own zone.
 */
export function liveStateOf(r: LiveRow, timeZone: string, asOf: string): LiveState {
  const todayKnown = dateIn(timeZone, new Date(r.as_of_ms)) === asOf;
  const elapsed = (r.as_of_ms - startOfDayIn(r.time_zone ?? timeZone, r.report_date)) / 86_400_000;
  return {
    accountId: r.account_id,
    metaCampaignId: r.meta_campaign_id,
    status: r.status,
    dailyBudgetCents: r.daily_budget === null ? null : toCents(r.daily_budget),
    spendTodayCents: toCents(r.spend_today),
    impressionsToday: r.impressions,
    clicksToday: r.clicks,
    purchasesToday: r.purchases,
    dayElapsed: todayKnown && elapsed > 0 ? Math.min(1, elapsed) : null,
    todayKnown,
    ...(r.currency ? { currency: r.currency } : {}),
  };
}

/** Each ad set's latest Meta state (meta_adset_state), by ad set id. */
export async function adsetStates(
  warehouse: Warehouse,
  timeZone: string,
  asOf: string,
): Promise<Map<string, AdsetLive>> {
  const rows = await warehouse.all<
    LiveRow & { adset_id: string; name: string; learning_status: string | null; audience_type: string }
  >(sqlFile('rules/adset_live_state'));
  return new Map(
    rows.map((r) => {
      const audience = audienceTypeSchema.safeParse(r.audience_type);
      const adset: AdsetLive = {
        live: liveStateOf(r, timeZone, asOf),
        name: r.name,
        audienceType: audience.success ? audience.data : 'broad',
        learningStatus: r.learning_status,
      };
      return [r.adset_id, adset];
    }),
  );
}
