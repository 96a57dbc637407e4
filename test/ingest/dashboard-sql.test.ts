import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config';
import { thresholdsConfigSchema } from '../../lib/decisions';
import { createAnalytics, dashboardQuerySchema, launchesQuery } from '../../services/analytics/api';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { AS_OF, generatedRows, metricsWarehouse } from '../reports/fixtures';
import { referenceDashboard } from './dashboard-reference';
import { scratch } from './support';

// The uncached dashboard at level=auto computes summary, by_owner and the best campaigns in DuckDB
// over campaign_days with the day's stored decisions (data/sql/metrics/dashboard_campaigns.sql).
// Its answer must be what buildDashboard makes of every campaign's window row, as before.
const CAMPAIGNS = 80;
const rows = generatedRows(CAMPAIGNS, AS_OF, 40, 5);
const thresholds = thresholdsConfigSchema.parse(undefined);
const config = parseConfig({ JWT_SECRET: 'dashboard-sql-secret-dashboard-sql-secret', TZ: 'America/New_York' });

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await metricsWarehouse(join(scratch('scaleflow-dashboard-sql-'), 'w.duckdb'), rows);
  // The daily pipeline stores the day's decisions before anyone opens the dashboard.
  await evaluateAndStore(warehouse, config, thresholds, AS_OF);
});
afterAll(() => warehouse.close());

/** The answer as the API made it before: every campaign's row into JS, then buildDashboard. */
const reference = (q: ReturnType<typeof dashboardQuerySchema.parse>) =>
  referenceDashboard(warehouse, { config, thresholds, asOf: AS_OF }, q);

describe('the uncached dashboard computed in SQL', () => {
  const owners = ['all', ...new Set(rows.map((r) => r.owner))].slice(0, 3);
  const cases = (['7d', '30d', 'yesterday'] as const).flatMap((date_range) =>
    (['all', 'active', 'scaling', 'losers'] as const).flatMap((campaign_filter) =>
      owners.map((owner) => ({ date_range, campaign_filter, owner })),
    ),
  );

  it.each(cases)('gives the same answer as buildDashboard over every row: %o', async (c) => {
    const q = dashboardQuerySchema.parse({ as_of: AS_OF, ...c });
    const analytics = createAnalytics({ warehouse, config, thresholds });
    const answer = await analytics.dashboard(q);
    const expected = await reference(q);
    expect(answer).toMatchObject({ as_of: AS_OF, owner: c.owner, level: 'auto', campaign_filter: c.campaign_filter });
    // Every field of the three parts, in order.
    expect({
      summary: 'summary' in answer ? answer.summary : undefined,
      by_owner: 'by_owner' in answer ? answer.by_owner : undefined,
      top_performers: 'top_performers' in answer ? answer.top_performers : undefined,
    }).toEqual(expected);
  });

  it('the cases above are not empty: there are scale-ups, losers and more than ten winners', async () => {
    const all = await reference(dashboardQuerySchema.parse({ as_of: AS_OF, date_range: '30d' }));
    expect(all.top_performers).toHaveLength(10);
    expect(all.by_owner.length).toBeGreaterThan(1);
    expect(all.top_performers.some((t) => t.recommendation !== 'hold')).toBe(true);
    const scaling = await reference(dashboardQuerySchema.parse({ as_of: AS_OF, campaign_filter: 'scaling' }));
    expect(scaling.summary.active_campaigns).toBeGreaterThan(0);
    const losers = await reference(dashboardQuerySchema.parse({ as_of: AS_OF, campaign_filter: 'losers' }));
    expect(losers.summary.total_margin).toBeLessThan(0);
  });

  /** The statements an answer ran, with how many rows each returned to JS. */
  async function reads(answer: () => Promise<unknown>) {
    const read: { sql: string; rows: number }[] = [];
    const all = warehouse.all.bind(warehouse);
    const spy = async <T>(sql: string, params?: Parameters<Warehouse['all']>[1]): Promise<T[]> => {
      const out = await all<T>(sql, params);
      read.push({ sql, rows: out.length });
      return out;
    };
    warehouse.all = spy as Warehouse['all'];
    try {
      await answer();
    } finally {
      warehouse.all = all;
    }
    return read;
  }

  it('reads tens of rows, not one per campaign, and no ad-set query without ad-set rows', async () => {
    const analytics = createAnalytics({ warehouse, config, thresholds });
    const read = await reads(async () => {
      const answer = await analytics.dashboard(dashboardQuerySchema.parse({ as_of: AS_OF, date_range: '30d' }));
      expect('top_performers' in answer && answer.top_performers).toHaveLength(10);
    });
    // 80 campaigns: reading their window rows (or the day's recommendations) would be 80 rows alone.
    // Here: the inputs fingerprint (1), the stored run (1), whether ad-set rows exist (1), the
    // dashboard's one row (1).
    expect(read.reduce((n, r) => n + r.rows, 0)).toBeLessThanOrEqual(CAMPAIGNS / 8);
    expect(read.filter((r) => /FROM daily_adset_metrics/.test(r.sql))).toEqual([]);
  });

  it('launches run no ad-set query when the warehouse has no ad-set row', async () => {
    const analytics = createAnalytics({ warehouse, config, thresholds });
    let launched: unknown;
    const read = await reads(async () => {
      launched = await analytics.launches(launchesQuery.parse({ as_of: AS_OF, weeks: '4' }));
    });
    expect(launched).toMatchObject({ level: 'auto' });
    expect(read.filter((r) => /FROM daily_adset_metrics/.test(r.sql))).toEqual([]);
  });
});
