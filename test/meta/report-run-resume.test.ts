import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { ReportProgress } from '../../services/meta/insights';
import { workflowIds } from '../../lib/names';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { faults } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { SandboxState } from '../../workers/meta-sandbox/state';
import { spawnCli, waitFor, type Spawned } from '../support/processes';
import { startWorker, testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { metaEnv } from './harness';

const HOUR = '2025-10-12T18:00:00Z';
const MINUTE = 60_000;

/** The heartbeat details of the account child's running insights activity, as Temporal holds them. */
async function heartbeat(client: Client, childId: string): Promise<ReportProgress | undefined> {
  const { raw } = await client.workflow.getHandle(childId).describe();
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === 'metaFetchInsightsPage');
  if (!pending?.heartbeatDetails?.payloads?.length) return undefined;
  const [details] = await decodeArrayFromPayloads(
    client.options.loadedDataConverter,
    pending.heartbeatDetails.payloads,
  );
  return details as ReportProgress | undefined;
}

describe('a spend sync reading a large account through an asynchronous report run', () => {
  it('heartbeats the run and its progress; after "Job Failed" a new run; a SIGKILLed meta worker\'s retry on another polls that same run to completion', async () => {
    // The job takes 10 minutes on the sandbox clock, which only the test moves.
    const clock = { ms: Date.parse(HOUR) };
    const sandbox = await startMetaSandbox({ state: new SandboxState(() => clock.ms), reportRunMs: 10 * MINUTE });
    const config = testConfig(metaEnv(sandbox, ['act_8']));
    // The warehouse role stays up in this process the whole time (it owns the DuckDB file and runs
    // workflow tasks); the Graph reads run on the `<queue>-meta` queue, served only by the meta
    // worker processes below, one of which is SIGKILLed.
    const warehouse = await startWorker(config, { role: 'warehouse', http: false });
    const client = await testClient(config);
    const spawned: Spawned[] = [];
    try {
      sandbox.state.addAccount('act_8', { currency: 'USD' });
      // 6 campaigns, campaign i spent (i + 1) * 250 cents: 250 + 500 + ... + 1500 = 5250 cents.
      for (let i = 0; i < 6; i++)
        sandbox.state.addCampaign(
          'act_8',
          { dailyBudget: 5000, spendMinor: (i + 1) * 250, impressions: 100, clicks: 2 },
          `80${i}`,
        );
      // The first run's first poll finds it failed.
      sandbox.faults.add(
        (r) => r.method === 'GET' && sandbox.reportRuns.all()[0]?.id === r.path.slice(1),
        faults.jobFailed(),
      );

      const env = workerProcessEnv(
        config,
        metaEnv(sandbox, ['act_8'], { META_ASYNC_INSIGHTS_CAMPAIGNS: '5', META_REPORT_POLL_INTERVAL: '200ms' }),
      );
      const metaWorker = () => spawned[spawned.push(spawnCli(['worker', '--role', 'meta'], env)) - 1]!;
      const workflowId = `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`;
      const childId = workflowIds.spendSyncAccount(workflowId, HOUR, 'act_8');
      const first = metaWorker();
      const handle = await client.workflow.start('spendSync', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ hour: HOUR }],
      });

      // Attempt 1 saw "Job Failed"; attempt 2 started a second run and heartbeats it.
      await waitFor(
        async () => {
          const second = sandbox.reportRuns.all()[1];
          return (
            second !== undefined && (await heartbeat(client, childId).catch(() => undefined))?.reportRunId === second.id
          );
        },
        60_000,
        `a heartbeat naming the second run (meta worker said: ${first.output()})`,
      );
      const [failed, running] = sandbox.reportRuns.all();
      expect(failed!.failed).toBe(true);
      expect(await heartbeat(client, childId)).toMatchObject({
        account: 'act_8',
        day: '2025-10-12',
        reportRunId: running!.id,
      });

      // Half of the 10 minutes gone: the next heartbeat says 50 %.
      clock.ms += 5 * MINUTE;
      await waitFor(async () => (await heartbeat(client, childId))?.percent === 50, 60_000, 'a heartbeat at 50 %');
      expect(await heartbeat(client, childId)).toMatchObject({
        reportRunId: running!.id,
        status: 'Job Running',
        percent: 50,
      });

      first.child.kill('SIGKILL');
      await first.exited;
      clock.ms += 5 * MINUTE; // the job completes while no meta worker runs
      const second = metaWorker();
      // A third run would never complete (the clock stands still from here): stop at either.
      let outcome: { result?: SpendSyncResult; error?: unknown } | undefined;
      void handle.result().then(
        (result) => (outcome = { result: result as SpendSyncResult }),
        (error: unknown) => (outcome = { error }),
      );
      await waitFor(
        () => outcome ?? sandbox.reportRuns.all().length > 2,
        180_000,
        'the sync to finish, or a third report run',
      );
      // Two runs created in all: the failed one and the one the new worker resumed, not a third.
      expect(sandbox.reportRuns.all()).toHaveLength(2);
      await waitFor(() => outcome, 60_000, 'the sync to finish');
      second.child.kill('SIGTERM');
      await second.exited;
      expect(outcome!.error).toBeUndefined();
      // 6 campaigns (1 page of 100), 6 insights rows (1 page): 2 pages.
      expect(outcome!.result).toMatchObject({ campaigns: 6, insightsRows: 6, pages: 2 });
      expect(sandbox.log.filter((r) => r.method === 'POST' && r.path === '/act_8/insights')).toHaveLength(2);
      expect(sandbox.log.filter((r) => r.path === `/${running!.id}/insights`).map((r) => r.status)).toEqual([200]);

      const history = await client.workflow.getHandle(childId).fetchHistory();
      const insightsStep = history.events!.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'metaFetchInsightsPage',
      )!;
      const attempts = history.events!.filter(
        (e) =>
          e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
          e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === insightsStep.eventId?.toString(),
      );
      // The insights step's last attempt was the third: Job Failed, then the SIGKILL's heartbeat timeout.
      expect(attempts.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([3]);
    } finally {
      for (const p of spawned) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await client.connection.close();
      await warehouse.stop();
      await sandbox.close();
    }
  }, 300_000);
});
