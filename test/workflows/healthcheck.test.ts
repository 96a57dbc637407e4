import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import { workflowIds } from '../../lib/names';
import type { ProbeResult } from '../../lib/healthcheck';
import { testClient, testConfig, withWorker } from '../support/temporal';

describe('healthcheck on the real dev server', () => {
  const config = testConfig();
  let client: Client;
  beforeAll(async () => {
    client = await testClient(config);
  });
  afterAll(async () => {
    await client.connection.close();
  });

  it('writes a row into DuckDB through an activity and returns what it read back', async () => {
    const workflowId = workflowIds.healthcheck('unit-1');
    const result = (await withWorker(config, () =>
      client.workflow.execute('healthcheck', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ note: 'ping from the test' }],
      }),
    )) as ProbeResult;
    expect(result).toMatchObject({ probeId: workflowId, note: 'ping from the test', attempts: 1 });

    // The worker has closed the file; the row is really there.
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    const rows = await warehouse.all('SELECT probe_id, note FROM healthcheck_probes');
    warehouse.close();
    expect(rows).toEqual([{ probe_id: workflowId, note: 'ping from the test' }]);
  });
});
