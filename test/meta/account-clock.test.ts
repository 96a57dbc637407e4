import { afterEach, describe, expect, it } from 'vitest';
import { workflowIds } from '../../lib/names';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { recordHistory } from '../support/histories';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { metaEnv, sandboxAt } from './harness';

// 2025-10-13T20:00Z is 2025-10-14 05:00 in Tokyo (UTC+9) and 2025-10-13 13:00 in Los Angeles
// (PDT, UTC-7): the two accounts are on different days at the same hour.
const HOUR = '2025-10-13T20:00:00Z';

describe('each ad account keeps its own clock (issue 21)', () => {
  let sandbox: MetaSandbox;
  afterEach(async () => sandbox?.close());

  it('a Tokyo and a Los Angeles account synced in the same hour each read and store their own today', async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    sandbox.state.addAccount('act_71', { currency: 'JPY', timezone: 'Asia/Tokyo' });
    sandbox.state.addAccount('act_72', { currency: 'USD', timezone: 'America/Los_Angeles' });
    sandbox.state.addCampaign('act_71', { dailyBudget: 50000, spendMinor: 1200, impressions: 300, clicks: 9 }, '7100');
    sandbox.state.addCampaign('act_72', { dailyBudget: 20000, spendMinor: 4321, impressions: 500, clicks: 7 }, '7200');
    // The team's clock is New York (2025-10-13 16:00 there): neither account's day is taken from it.
    const config = testConfig(metaEnv(sandbox, ['act_71', 'act_72'], { TZ: 'America/New_York' }));
    const client = await testClient(config);
    const parentId = `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`;
    const result = (await withWorker(config, async () => {
      const done = await client.workflow.execute('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: parentId,
        args: [{ hour: HOUR }],
      });
      await recordHistory(
        client.workflow.getHandle(workflowIds.spendSyncAccount(parentId, HOUR, 'act_71')),
        'spend-sync-account-clock',
      );
      return done;
    })) as SpendSyncResult;
    await client.connection.close();
    // The run's own date stays the team's (New York's).
    expect(result.reportDate).toBe('2025-10-13');

    // The insights Meta was asked for: each account's own day, campaigns and ad sets alike.
    const ranges = sandbox.log
      .filter((r) => r.method === 'GET' && r.status === 200 && /^\/act_7\d\/insights$/.test(r.path) && !r.query.summary)
      .map((r) => `${r.path} ${r.query.level} ${r.query.time_range}`)
      .sort();
    expect(ranges).toEqual([
      '/act_71/insights adset {"since":"2025-10-14","until":"2025-10-14"}',
      '/act_71/insights campaign {"since":"2025-10-14","until":"2025-10-14"}',
      '/act_72/insights adset {"since":"2025-10-13","until":"2025-10-13"}',
      '/act_72/insights campaign {"since":"2025-10-13","until":"2025-10-13"}',
    ]);

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    try {
      expect(
        await warehouse.all(
          'SELECT meta_campaign_id, report_date::VARCHAR AS report_date, spend::VARCHAR AS spend FROM meta_campaign_snapshots ORDER BY 1',
        ),
      ).toEqual([
        // JPY has no minor unit: 1200 on the wire is 1200 yen; 4321 cents are 43.21 dollars.
        { meta_campaign_id: '7100', report_date: '2025-10-14', spend: '1200.00' },
        { meta_campaign_id: '7200', report_date: '2025-10-13', spend: '43.21' },
      ]);
      expect(
        await warehouse.all(
          'SELECT DISTINCT meta_campaign_id, report_date::VARCHAR AS report_date FROM meta_adset_snapshots ORDER BY 1',
        ),
      ).toEqual([
        { meta_campaign_id: '7100', report_date: '2025-10-14' },
        { meta_campaign_id: '7200', report_date: '2025-10-13' },
      ]);
      expect(
        await warehouse.all('SELECT account_id, currency, time_zone FROM meta_accounts ORDER BY account_id'),
      ).toEqual([
        { account_id: 'act_71', currency: 'JPY', time_zone: 'Asia/Tokyo' },
        { account_id: 'act_72', currency: 'USD', time_zone: 'America/Los_Angeles' },
      ]);
    } finally {
      warehouse.close();
    }
  }, 120_000);
});
