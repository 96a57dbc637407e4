import { join } from 'node:path';
import { loadAlertRules } from '../../../services/rules/files';
import { addDays } from '../../../lib/dates';
import {
  evaluateCampaigns,
  withEntity,
  type CampaignSeries,
  type EvaluationOptions,
  type ThresholdsConfig,
} from '../../../lib/decisions';

/** The alert rules scaleflow ships (rules/default-*.yaml), as the daily pipeline loads them. */
export const SHIPPED_RULES = loadAlertRules(join(import.meta.dirname, '../../../rules'));

/** Every fixture asks on 2025-10-13, so yesterday (the last window day) is 2025-10-12. */
export const AS_OF = '2025-10-13';
export const YESTERDAY = '2025-10-12';
/** 06:00 in New York on as_of, when the daily pipeline runs. */
export const NOW = '2025-10-13T10:00:00Z';

/**
 * A campaign from daily [spend, revenue] pairs, oldest first, the last one being yesterday.
 * Amounts are strings, as DuckDB hands DECIMAL over.
 */
export function campaign(
  id: string,
  days: Array<[number | string, number | string]>,
  extra: Partial<CampaignSeries> = {},
): CampaignSeries {
  return withEntity({
    campaign_id: id,
    campaign_name: `Campaign ${id}`,
    owner: 'alice',
    category: 'health',
    days: days.map(([spend, revenue], i) => ({
      date: addDays(YESTERDAY, i - (days.length - 1)),
      spend: typeof spend === 'number' ? spend.toFixed(2) : spend,
      revenue: typeof revenue === 'number' ? revenue.toFixed(2) : revenue,
    })),
    changes: [],
    ...extra,
  });
}

/** n days of the same spend and revenue. */
export function flat(n: number, spend: number, revenue: number): Array<[number, number]> {
  return Array.from({ length: n }, () => [spend, revenue]);
}

/** n days spending 100 with the given daily revenues, so each day's roas is its revenue. */
export function roasDays(revenues: number[]): Array<[number, number]> {
  return revenues.map((r) => [100, r]);
}

export function evaluate(
  campaigns: CampaignSeries[],
  thresholds: ThresholdsConfig = { global: {}, owners: {} },
  extra: Partial<EvaluationOptions> = {},
) {
  return evaluateCampaigns(campaigns, { as_of: AS_OF, now: NOW, thresholds, ...extra }, SHIPPED_RULES);
}

export function decide(series: CampaignSeries, thresholds?: ThresholdsConfig) {
  return evaluate([series], thresholds).decisions[0]!;
}
