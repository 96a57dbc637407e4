import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import { dateIn } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { scheduledDate, type DailyPipelineSummary } from '../../lib/strategis/pipeline';
import { freePort } from '../../scripts/temporal.mjs';
import { applySchedules, dailyPipelineSchedule } from '../../workers/schedules';
import { waitFor } from '../support/processes';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { fixture, scratch } from './support';

const PULLED = 'date,campaign_id,owner,spend,revenue\n2025-10-11,h1,dan,10.00,15.00\n2025-10-12,h1,dan,12.00,9.00\n';

describe('dailyPipeline on the real dev server', () => {
  const dir = scratch('scaleflow-pipeline-');
  const inbox = join(dir, 'inbox');
  let server: Server;
  let client: Client;
  let config: ReturnType<typeof testConfig>;
  let env: Record<string, string>;

  beforeAll(async () => {
    const port = await freePort();
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(PULLED));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    env = {
      INBOX_DIR: inbox,
      ARCHIVE_DIR: join(dir, 'archive'),
      CAMPAIGN_MAP_FILE: join(dir, 'no-map.csv'),
      STRATEGIS_REPORT_URL: `http://127.0.0.1:${port}/report?start={start}&end={end}`,
      STRATEGIS_API_TOKEN: 't',
    };
    config = testConfig(env);
    client = await testClient(config);
  });
  afterAll(async () => {
    await client.connection.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('pulls over HTTP and loads the inbox end to end; a re-trigger for the date finds the run', async () => {
    mkdirSync(inbox, { recursive: true });
    copyFileSync(fixture('totals.csv'), join(inbox, 'upload.csv'));
    copyFileSync(fixture('semicolon.csv'), join(inbox, 'wrong.csv'));
    const workflowId = workflowIds.daily('2025-10-13');

    const summary = (await withWorker(config, async () => {
      const handle = await client.workflow.start('dailyPipeline', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ date: '2025-10-13' }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      const result = await handle.result();
      const again = await client.workflow
        .start('dailyPipeline', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          args: [{ date: '2025-10-13' }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((e: unknown) => e);
      expect(again).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      return result;
    })) as DailyPipelineSummary;

    expect(summary.date).toBe('2025-10-13');
    expect(summary.pulled).toEqual({ start: '2025-10-06', end: '2025-10-12', pages: 1 });
    expect(summary.loaded.map((f) => [f.source, f.file, f.accepted, f.quarantined, f.skipped])).toEqual([
      ['http', 'strategis_2025-10-06_2025-10-12.csv', 2, 0, 0],
      ['inbox', 'upload.csv', 2, 0, 1],
    ]);
    expect(summary.totals).toEqual({ accepted: 4, quarantined: 0, skipped: 1, restated: 0 });
    expect(summary.batchIds).toHaveLength(2);
    expect(summary.rejected).toEqual([
      { file: 'wrong.csv', reason: expect.stringContaining('missing required columns') },
    ]);
    expect(readdirSync(inbox).sort()).toEqual(['loaded', 'rejected']);

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    try {
      // h1: 10 + 12 spend; t1, t2 from the upload (the totals row skipped)
      expect(
        await warehouse.all(
          'SELECT campaign_id, sum(spend)::VARCHAR AS spend FROM daily_campaign_metrics GROUP BY 1 ORDER BY 1',
        ),
      ).toEqual([
        { campaign_id: 'h1', spend: '22.00' },
        { campaign_id: 't1', spend: '10.00' },
        { campaign_id: 't2', spend: '30.00' },
      ]);
      expect(await warehouse.all('SELECT source, status FROM ingest_batches ORDER BY source, status')).toEqual([
        { source: 'http', status: 'loaded' },
        { source: 'inbox', status: 'loaded' },
        { source: 'inbox', status: 'rejected' },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('a scheduled run takes its day from the scheduled time in TZ', async () => {
    expect(scheduledDate(new Date('2025-10-13T10:00:00Z'), 'America/New_York')).toBe('2025-10-13');
    expect(scheduledDate(new Date('2025-10-13T02:00:00Z'), 'America/New_York')).toBe('2025-10-12');

    // The same environment (parsed values such as PAYLOAD_KEYS do not survive String()), its own inbox.
    const scheduled = testConfig({
      ...env,
      SCALEFLOW_DB: config.SCALEFLOW_DB,
      INBOX_DIR: join(dir, 'inbox2'),
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    });
    const prefix = `daily-test-${Date.now()}`;
    const base = dailyPipelineSchedule(scheduled);
    const definition = {
      ...base,
      scheduleId: `daily-pipeline-test-${Date.now()}`,
      workflowIdPrefix: `${prefix}-scheduled`,
      args: [{ timeZone: scheduled.TZ, idPrefix: prefix }],
    };
    await withWorker(scheduled, async () => {
      expect(await applySchedules(client, scheduled, [definition])).toEqual([
        { scheduleId: definition.scheduleId, result: 'created' },
      ]);
      expect(await applySchedules(client, scheduled, [definition])).toEqual([
        { scheduleId: definition.scheduleId, result: 'updated' },
      ]);
      const handle = client.schedule.getHandle(definition.scheduleId);
      try {
        const described = await handle.describe();
        expect(described.policies.overlap).toBe('SKIP');
        expect(described.spec.calendars?.[0]).toMatchObject({
          hour: [{ start: 6, end: 6, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
        });
        await handle.trigger();
        const run = await waitFor(
          async () => (await handle.describe()).info.recentActions[0]?.action,
          20_000,
          'the triggered run',
        );
        const result = (await client.workflow.getHandle(run.workflow.workflowId).result()) as DailyPipelineSummary;
        const today = dateIn(scheduled.TZ, new Date());
        expect(result.date).toBe(today);
        // The scheduled run ran the day under its business key, which a manual run meets.
        const day = client.workflow.getHandle(`${prefix}/${today}`);
        expect((await day.describe()).status.name).toBe('COMPLETED');
        await handle.trigger();
        const second = await waitFor(
          async () => (await handle.describe()).info.recentActions[1]?.action,
          20_000,
          'the second triggered run',
        );
        expect(await client.workflow.getHandle(second.workflow.workflowId).result()).toEqual({
          date: today,
          alreadyRan: `${prefix}/${today}`,
        });
      } finally {
        await handle.delete();
      }
    });
    expect(existsSync(join(dir, 'inbox2'))).toBe(true);
  });
});
