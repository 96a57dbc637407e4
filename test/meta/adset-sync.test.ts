import { afterEach, describe, expect, it } from 'vitest';
import { workflowIds } from '../../lib/names';
import { faults, on } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import type { SpendSyncAccountResult } from '../../workflows/spend-sync';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { metaEnv, pagesRead, sandboxAt } from './harness';

const HOUR = '2025-10-12T18:00:00Z'; // 14:00 in New York: the report day is 2025-10-12

/**
 * One account: a CBO campaign (the campaign holds $200.00; its two ad sets hold nothing) and an
 * ad-set-budget campaign of three ad sets. Delivery in cents as Meta holds it; ROAS by hand:
 * broad 6914 / 4321 = 160%, interest 1313 / 1250 = 105%, retargeting 599 / 999 = 60%.
 */
function seed(sandbox: MetaSandbox) {
  sandbox.state.addAccount('act_7', { currency: 'USD' });
  const visitors = sandbox.state.addCustomAudience('act_7', { name: 'Site visitors 30d', subtype: 'WEBSITE' });
  sandbox.state.addCampaign(
    'act_7',
    {
      name: 'Dental_CBO',
      cbo: true,
      dailyBudget: 20000,
      adsets: [
        {
          name: 'cbo a',
          delivery: { spendMinor: 3000, impressions: 600, clicks: 9, purchases: 3, purchaseValueMinor: 9000 },
        },
        { name: 'cbo b', delivery: { spendMinor: 2000, impressions: 100, clicks: 1 } },
      ],
    },
    '800',
  );
  sandbox.state.addCampaign(
    'act_7',
    {
      name: 'Dental_ABO',
      cbo: false,
      adsets: [
        {
          name: 'broad',
          dailyBudget: 6000,
          delivery: { spendMinor: 4321, impressions: 1000, clicks: 20, purchases: 4, purchaseValueMinor: 6914 },
        },
        {
          name: 'interest',
          dailyBudget: 3000,
          learningStatus: 'LEARNING',
          targeting: {
            geo_locations: { countries: ['US'] },
            flexible_spec: [{ interests: [{ id: '6003', name: 'Dentistry' }] }],
          },
          delivery: { spendMinor: 1250, impressions: 300, clicks: 5, purchases: 1, purchaseValueMinor: 1313 },
        },
        {
          name: 'retargeting',
          dailyBudget: 1500,
          targeting: { custom_audiences: [{ id: visitors.id, name: visitors.name }] },
          delivery: { spendMinor: 999, impressions: 200, clicks: 4, purchases: 1, purchaseValueMinor: 599 },
        },
      ],
    },
    '801',
  );
}

const STATE_SQL = `SELECT meta_campaign_id, campaign_id, name, status, daily_budget::VARCHAR AS daily_budget,
  lifetime_budget::VARCHAR AS lifetime_budget, holds_budget, bid_strategy, optimization_goal, learning_status,
  audience_type, spend::VARCHAR AS spend, purchase_value::VARCHAR AS purchase_value, report_date::VARCHAR AS report_date
  FROM meta_adset_state ORDER BY meta_campaign_id, name`;
const SNAPSHOT_SQL = `SELECT adset_id, meta_campaign_id, name, currency, daily_budget::VARCHAR AS daily_budget,
  learning_status, audience_type, spend::VARCHAR AS spend, impressions::INTEGER AS impressions,
  clicks::INTEGER AS clicks, purchases::INTEGER AS purchases, purchase_value::VARCHAR AS purchase_value,
  targeting::VARCHAR AS targeting FROM meta_adset_snapshots ORDER BY adset_id`;

const row = (
  meta_campaign_id: string,
  name: string,
  daily_budget: string | null,
  learning_status: string,
  audience_type: string,
  spend: string,
  purchase_value: string,
) => ({
  meta_campaign_id,
  campaign_id: meta_campaign_id === '801' ? 'dental_abo' : null,
  name,
  status: 'ACTIVE',
  daily_budget,
  lifetime_budget: null,
  holds_budget: daily_budget !== null,
  bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
  optimization_goal: 'OFFSITE_CONVERSIONS',
  learning_status,
  audience_type,
  spend,
  purchase_value,
  report_date: '2025-10-12',
});

describe('spendSync reads ad sets too, on the real dev server with a real worker', () => {
  let sandbox: MetaSandbox;
  afterEach(async () => sandbox?.close());

  it('fills meta_adset_snapshots and meta_adset_state exactly, retries a rate-limited ad-set page, and a re-run of the hour changes nothing', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    seed(sandbox);
    // The second page of ad sets is rate limited once; Temporal asks for it again.
    const first = (r: { query: Record<string, string> }) => r.query.after !== undefined;
    sandbox.faults.add((r) => on.get(/^\/act_7\/adsets$/)(r) && first(r), faults.rateLimit(80004, 0));
    const config = testConfig(metaEnv(sandbox, ['act_7'], { META_PAGE_SIZE: '2' }));
    const client = await testClient(config);
    const parentId = (suffix = '') => `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}${suffix}`;
    const run = (suffix = '') =>
      client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: parentId(suffix),
        args: [{ hour: HOUR }],
      });

    await withWorker(config, async (main) => {
      await main.warehouse.run(
        "INSERT INTO campaign_map (campaign_id, meta_campaign_id, account_id) VALUES ('dental_abo', '801', 'act_7')",
      );
      await run();
      const child = (await client.workflow
        .getHandle(workflowIds.spendSyncAccount(parentId(), HOUR, 'act_7'))
        .result()) as SpendSyncAccountResult;
      // Pages of 2: 2 campaigns 1 page + 2 insights rows 1 page; 1 audience page, 5 ad sets 3 pages,
      // 5 ad-set insights rows 3 pages = 7 ad-set pages.
      expect(child).toEqual({
        account: 'act_7',
        pages: 2,
        campaigns: 2,
        insightsRows: 2,
        adsets: 5,
        adsetInsightsRows: 5,
        adsetPages: 7,
      });
      const faulted = sandbox.log.filter((r) => r.fault);
      expect(faulted.map((r) => [r.path, r.status])).toEqual([['/act_7/adsets', 400]]);
      const adsetReads = pagesRead(sandbox, /^\/act_7\/adsets$/);
      expect(adsetReads).toHaveLength(3); // the refused page answered once, on the retry
      expect(new Set(adsetReads).size).toBe(3);

      const state = await main.warehouse.all(STATE_SQL);
      expect(state).toEqual([
        // CBO: the campaign holds the budget, so its ad sets hold none (and are never decided on alone).
        row('800', 'cbo a', null, 'SUCCESS', 'broad', '30.00', '90.00'),
        row('800', 'cbo b', null, 'SUCCESS', 'broad', '20.00', '0.00'),
        // "6000" cents = 60.00 ...; omni_purchase and fb_pixel_purchase are the same purchases, counted once.
        row('801', 'broad', '60.00', 'SUCCESS', 'broad', '43.21', '69.14'),
        row('801', 'interest', '30.00', 'LEARNING', 'interest', '12.50', '13.13'),
        row('801', 'retargeting', '15.00', 'SUCCESS', 'retargeting', '9.99', '5.99'),
      ]);
      const abo = sandbox.state.campaign('801')!.adsets;
      const snapshots = await main.warehouse.all<{ adset_id: string; targeting: string; purchases: number }>(
        SNAPSHOT_SQL,
      );
      expect(snapshots.map((s) => s.adset_id).sort()).toEqual(
        [...sandbox.state.campaign('800')!.adsets, ...abo].map((a) => a.id).sort(),
      );
      const retargeting = snapshots.find((s) => s.adset_id === abo[2]!.id)!;
      expect(JSON.parse(retargeting.targeting)).toEqual(abo[2]!.targeting);
      expect(snapshots.find((s) => s.adset_id === abo[0]!.id)).toMatchObject({
        currency: 'USD',
        impressions: 1000,
        clicks: 20,
        purchases: 4,
      });

      // The same hour again (a second run, as a re-run from the Web UI would): the same rows, no more.
      await run('/again');
      expect(await main.warehouse.all(SNAPSHOT_SQL)).toEqual(snapshots);
      expect(await main.warehouse.all(STATE_SQL)).toEqual(state);
    });
    await client.connection.close();
  }, 120_000);
});
