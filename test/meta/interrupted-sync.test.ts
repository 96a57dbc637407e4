import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Warehouse } from '../../services/warehouse/warehouse';
import { workflowIds } from '../../lib/names';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { faults, type RequestInfo } from '../../workers/meta-sandbox/faults';
import { spawnWorker, waitFor } from '../support/processes';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { metaEnv, pagesRead, sandboxAt } from './harness';

const HOUR = '2025-10-12T18:00:00Z';

describe('a spend sync whose worker is killed mid-page', () => {
  it('resumes on the next worker from the page it was on, without duplicate snapshots', async () => {
    const { sandbox } = await sandboxAt(HOUR);
    try {
      sandbox.state.addAccount('act_7', { currency: 'USD' });
      for (let i = 0; i < 50; i++)
        sandbox.state.addCampaign(
          'act_7',
          { dailyBudget: 2000 + i, spendMinor: i, impressions: 1 + i, clicks: 1 },
          `7${String(i).padStart(3, '0')}`,
        );
      // The third campaigns page hangs long enough for the SIGTERM to land while it is in flight.
      let seen = 0;
      sandbox.faults.add((r: RequestInfo) => r.path === '/act_7/campaigns' && ++seen === 3, faults.slow(8000));

      const config = testConfig({ SHUTDOWN_GRACE_SECONDS: '1' });
      const env = workerProcessEnv(
        config,
        metaEnv(sandbox, ['act_7'], { META_PAGE_SIZE: '10', META_REQUEST_TIMEOUT: '30s' }),
      );
      const client = await testClient(config);
      const first = spawnWorker(env);
      const handle = await client.workflow.start('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ hour: HOUR }],
      });
      await waitFor(
        () => sandbox.log.some((r) => r.fault?.startsWith('slow')),
        30_000,
        'the third page to be in flight',
      );
      first.child.kill('SIGTERM');
      expect(await first.exited, first.output()).toBe(0);

      const second = spawnWorker(env);
      const result = (await handle.result()) as SpendSyncResult;
      second.child.kill('SIGTERM');
      expect(await second.exited, second.output()).toBe(0);

      expect(result).toMatchObject({ campaigns: 50, insightsRows: 50, pages: 10 });
      // Pages 1 and 2 were read once; page 3 again on the second worker (its first answer never
      // reached scaleflow), then 4 and 5: each cursor answered to scaleflow exactly once.
      const campaignsReads = sandbox.log
        .filter((r) => r.path === '/act_7/campaigns' && !r.query.summary)
        .map((r) => r.query.after ?? 'first');
      expect(campaignsReads).toHaveLength(6);
      expect(new Set(campaignsReads).size).toBe(5);
      expect(campaignsReads[2]).toBe(campaignsReads[3]);
      expect(new Set(pagesRead(sandbox, /^\/act_7\/insights$/)).size).toBe(5);

      // The pages are the account's child's steps: its history holds the one retried read.
      const history = await client.workflow.getHandle(`${handle.workflowId}/act_7`).fetchHistory();
      const retried = history.events!.filter(
        (e) =>
          e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
          (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1,
      );
      expect(retried).toHaveLength(1);
      await client.connection.close();

      const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
      const counts = await warehouse.one(
        'SELECT count(*)::INTEGER AS rows, count(DISTINCT meta_campaign_id)::INTEGER AS campaigns, sum(spend)::VARCHAR AS spend FROM meta_campaign_snapshots',
      );
      warehouse.close();
      // spend = (0 + 1 + ... + 49) cents = 1225 cents.
      expect(counts).toEqual({ rows: 50, campaigns: 50, spend: '12.25' });
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
