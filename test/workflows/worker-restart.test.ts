import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Warehouse } from '../../services/warehouse/warehouse';
import { workflowIds } from '../../lib/names';
import type { ProbeResult } from '../../lib/healthcheck';
import { spawnWorker, waitFor } from '../support/processes';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';

const EventType = temporal.api.enums.v1.EventType;

describe('the worker process under SIGTERM', () => {
  it('is killed mid-activity, restarted, and the workflow completes exactly once', async () => {
    // One second of grace is shorter than the activity, so the SIGTERM really interrupts it.
    const config = testConfig({ SHUTDOWN_GRACE_SECONDS: '1' });
    // INFO: the test reads the worker's own "worker stopped, warehouse closed" line.
    const env = workerProcessEnv(config, { LOG_LEVEL: 'INFO' });
    const client = await testClient(config);
    const workflowId = workflowIds.healthcheck('sigterm');

    const first = spawnWorker(env);
    const handle = await client.workflow.start('healthcheck', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ note: 'survives a restart', holdMs: 4000 }],
    });
    await waitFor(
      async () =>
        (await handle.describe()).raw.pendingActivities?.some(
          (a) => a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        ),
      30_000,
      'the activity to start on the first worker',
    );
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toContain('worker stopped, warehouse closed');

    const second = spawnWorker(env);
    const result = (await handle.result()) as ProbeResult;
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);

    expect(result).toMatchObject({ probeId: workflowId, note: 'survives a restart', attempts: 2 });
    const history = await handle.fetchHistory();
    const completions = history.events!.filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    );
    expect(completions).toHaveLength(1);

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    const rows = await warehouse.all<{ n: number }>(
      'SELECT count(*)::INTEGER AS n FROM healthcheck_probes WHERE probe_id = $1',
      [workflowId],
    );
    warehouse.close();
    expect(rows).toEqual([{ n: 1 }]);
    await client.connection.close();
  });
});
