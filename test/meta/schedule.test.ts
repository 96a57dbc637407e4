import { describe, expect, it } from 'vitest';
import { applySchedules, scheduleDefinitions } from '../../workers/schedules';
import { testClient, testConfig } from '../support/temporal';

describe('the hourly spend-sync schedule', () => {
  it('is created by schedules apply, every hour, starting spendSync; applying again updates it in place', async () => {
    const config = testConfig();
    const client = await testClient(config);
    const mine = scheduleDefinitions(config).filter((d) => d.workflowType === 'spendSync');
    expect(mine).toHaveLength(1);
    expect(await applySchedules(client, config, mine)).toEqual([
      { scheduleId: 'spend-sync-hourly', result: 'created' },
    ]);
    expect(await applySchedules(client, config, mine)).toEqual([
      { scheduleId: 'spend-sync-hourly', result: 'updated' },
    ]);
    const handle = client.schedule.getHandle('spend-sync-hourly');
    const description = await handle.describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'spendSync',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    });
    expect(description.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
    await handle.delete();
    await client.connection.close();
  });
});
