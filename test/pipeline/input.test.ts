import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { testClient, testConfig, withWorker } from '../support/temporal';

describe('dailyPipeline input', () => {
  it('fails at once on a date that does not exist, naming the field, with nothing pulled or loaded', async () => {
    const config = testConfig();
    const client = await testClient(config);
    try {
      await withWorker(config, async (main) => {
        const failed = await client.workflow
          .execute('dailyPipeline', {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            workflowId: `daily/2026-11-31-${config.TEMPORAL_TASK_QUEUE}`,
            args: [{ date: '2026-11-31' }],
          })
          .catch((e: unknown) => e);
        expect(failed).toBeInstanceOf(WorkflowFailedError);
        const cause = (failed as WorkflowFailedError).cause as ApplicationFailure;
        expect(cause).toBeInstanceOf(ApplicationFailure);
        expect(cause.type).toBe('InvalidInput');
        expect(cause.message).toBe('dailyPipeline input date: a date as YYYY-MM-DD');
        expect(await main.warehouse.one('SELECT count(*)::INTEGER AS n FROM ingest_batches')).toEqual({ n: 0 });
      });
    } finally {
      await client.connection.close();
    }
  });
});
