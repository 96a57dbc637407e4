import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { activityQueue } from '../../lib/activity-roles';
import { Warehouse } from '../../services/warehouse/warehouse';
import { spawnCli, waitFor } from '../support/processes';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';

/**
 * DuckDB (1.5) cannot replay a write-ahead log holding `ALTER TABLE ... ADD COLUMN` on a table with
 * a function default (alerts: 013_alert_notes.sql): "Failure while replaying WAL file ...
 * GetDefaultDatabase with no default database set". A warehouse worker killed before its first
 * checkpoint left a file no worker could open again, so the next one crashed at start.
 */
describe('a warehouse worker SIGKILLed right after creating its DuckDB file', () => {
  it('leaves a file the next worker opens: the migrations are checkpointed, not only in the WAL', async () => {
    const config = testConfig();
    const client = await testClient(config);
    const worker = spawnCli(['worker', '--role', 'warehouse'], workerProcessEnv(config));
    try {
      // Polling its activity queue means the warehouse is open and migrated.
      await waitFor(
        async () => {
          const { pollers } = await client.workflowService.describeTaskQueue({
            namespace: config.TEMPORAL_NAMESPACE,
            taskQueue: { name: activityQueue(config.TEMPORAL_TASK_QUEUE, 'warehouse') },
            taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
          });
          return (pollers?.length ?? 0) > 0;
        },
        60_000,
        `the warehouse worker polling (it said: ${worker.output()})`,
      );
      worker.child.kill('SIGKILL');
      await worker.exited;

      const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
      try {
        const alertColumns = await warehouse.all<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'alerts' AND column_name = 'note'");
        expect(alertColumns).toEqual([{ name: 'note' }]);
      } finally {
        warehouse.close();
      }
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await client.connection.close();
    }
  }, 120_000);
});
