import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { ReportProgress } from '../../activities/meta/insights';
import { workflowIds } from '../../lib/names';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { faults } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';
import { spawnWorker, waitFor } from '../support/processes';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { metaEnv } from './harness';

const HOUR = '2025-10-12T18:00:00Z';
const MINUTE = 60_000;

/** The heartbeat details of the spend sync's running insights activity, as Temporal holds them. */
async function heartbeat(client: Client, workflowId: string): Promise<ReportProgress | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'metaSyncInsightsPage');
  if (!pending?.heartbeatDetails?.payloads?.length) return undefined;
  const [details] = await decodeArrayFromPayloads(client.options.loadedDataConverter, pending.heartbeatDetails.payloads);
  return details as ReportProgress | undefined;
}

describe('a spend sync reading a large account through an asynchronous report run', () => {
  it('heartbeats the run and its progress; after "Job Failed" a new run; a SIGKILLed worker\'s retry polls that same run to completion', async () => {
    // The job takes 10 minutes on the sandbox clock, which only the test moves.
    const clock = { ms: Date.parse(HOUR) };
    const sandbox = await startMetaSandbox({ state: new SandboxState(() => clock.ms), reportRunMs: 10 * MINUTE });
    try {
      sandbox.state.addAccount('act_8', { currency: 'USD' });
      // 6 campaigns, campaign i spent (i + 1) * 250 cents: 250 + 500 + ... + 1500 = 5250 cents.
      for (let i = 0; i < 6; i++) sandbox.state.addCampaign('act_8', { dailyBudget: 5000, spendMinor: (i + 1) * 250, impressions: 100, clicks: 2 }, `80${i}`);
      // The first run's first poll finds it failed.
      sandbox.faults.add((r) => r.method === 'GET' && sandbox.reportRuns.all()[0]?.id === r.path.slice(1), faults.jobFailed());

      const config = testConfig();
      const env = workerProcessEnv(config, metaEnv(sandbox, ['act_8'], { META_ASYNC_INSIGHTS_CAMPAIGNS: '5', META_REPORT_POLL_INTERVAL: '200ms' }));
      const client = await testClient(config);
      const workflowId = `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`;
      const first = spawnWorker(env);
      const handle = await client.workflow.start('spendSync', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [{ hour: HOUR }] });

      // Attempt 1 saw "Job Failed"; attempt 2 started a second run and heartbeats it at 0 %.
      await waitFor(
        async () => {
          const second = sandbox.reportRuns.all()[1];
          return second !== undefined && (await heartbeat(client, workflowId))?.reportRunId === second.id;
        },
        60_000,
        'a heartbeat naming the second run',
      );
      const [failed, running] = sandbox.reportRuns.all();
      expect(failed!.failed).toBe(true);
      expect(await heartbeat(client, workflowId)).toMatchObject({ account: 'act_8', day: '2025-10-12', reportRunId: running!.id });

      // Half of the 10 minutes gone: the next heartbeat says 50 %.
      clock.ms += 5 * MINUTE;
      await waitFor(async () => (await heartbeat(client, workflowId))?.percent === 50, 60_000, 'a heartbeat at 50 %');
      expect(await heartbeat(client, workflowId)).toMatchObject({ reportRunId: running!.id, status: 'Job Running', percent: 50 });

      first.child.kill('SIGKILL');
      await first.exited;
      clock.ms += 5 * MINUTE; // the job completes while no worker runs
      const second = spawnWorker(env);
      const result = (await handle.result()) as SpendSyncResult;
      second.child.kill('SIGTERM');
      await second.exited;
      await client.connection.close();

      // 6 campaigns (1 page of 100), 6 insights rows (1 page): 2 pages.
      expect(result).toMatchObject({ campaigns: 6, insightsRows: 6, pages: 2 });
      // Two runs created in all: the failed one and the one the new worker resumed, not a third.
      expect(sandbox.reportRuns.all()).toHaveLength(2);
      expect(sandbox.log.filter((r) => r.method === 'POST' && r.path === '/act_8/insights')).toHaveLength(2);
      expect(sandbox.log.filter((r) => r.path === `/${running!.id}/insights`).map((r) => r.status)).toEqual([200]);

      const history = await handle.fetchHistory();
      const attempts = history.events!.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1);
      // The insights step's last attempt was the third: Job Failed, then the SIGKILL's heartbeat timeout.
      expect(Math.max(...attempts)).toBe(3);
    } finally {
      await sandbox.close();
    }
  }, 300_000);
});
