import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { Config } from '../../lib/config';
import { datesBetween } from '../../lib/dates';
import { backfillDates } from '../../lib/ops/backfill';
import { workflowIds } from '../../lib/names';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { applySchedules, dailyPipelineSchedule } from '../../workers/schedules';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { spawnCli, waitFor } from '../support/processes';
import { TEST_PAYLOAD_KEYS, testClient, testConfig, withWorker } from '../support/temporal';

/**
 * Twelve days of numbers, 2024-02-20..2024-03-02 (across a leap day). Every day W (ben) spends
 * $100.00 for $150.00 (roas 150 > 130 on each of the last 3 days, spend >= $50: scale_up), A spends
 * $100.00 for $110.00 (hold), L (tj) spends $100.00 for $50.00 (roas 50 < 80 on 5 days, margin
 * -$250.00 summed: cut_loss). So every as_of from 2024-02-28 to 2024-03-02 evaluates 3 campaigns and
 * raises 2 alerts.
 */
const rows: MetricRow[] = datesBetween('2024-02-20', '2024-03-02').flatMap((date) => [
  {
    date,
    campaign_id: 'W',
    campaign_name: 'Dental_W',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '150.00',
  },
  {
    date,
    campaign_id: 'A',
    campaign_name: 'Dental_A',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '110.00',
  },
  {
    date,
    campaign_id: 'L',
    campaign_name: 'Solar_L',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '50.00',
  },
]);

async function seededConfig(): Promise<Config> {
  // A team recipient, so a run that is not a backfill would mail a report (to OUTBOX_DIR).
  const config = testConfig({ TZ: 'UTC', REPORT_TEAM_RECIPIENTS: 'lead@example.com' });
  const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
  await loadRows(warehouse, rows);
  warehouse.close();
  return config;
}

const cliEnv = (config: Config) => ({
  TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
  TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
  TZ: config.TZ,
  LOG_LEVEL: 'WARN',
  PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
});

async function backfillCli(config: Config, args: string[]) {
  const cli = spawnCli(['backfill', ...args], cliEnv(config));
  const code = await cli.exited;
  const lines = cli
    .output()
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, output: cli.output(), days: lines.slice(0, -1), summary: lines.at(-1) };
}

const eml = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : []);

async function count(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

describe('scaleflow backfill', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) await c.connection.close();
  });

  it('plans the past days oldest first and refuses today, reversed ranges and year-long typos', () => {
    expect(backfillDates('2024-02-28', '2024-03-01', '2024-03-10')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(backfillDates('2024-03-09', '2024-03-09', '2024-03-10')).toEqual(['2024-03-09']);
    expect(backfillDates('2024-03-09', '2024-03-10', '2024-03-10')).toMatchObject({
      problem: expect.stringContaining("today's run belongs to the daily schedule"),
    });
    expect(backfillDates('2024-03-02', '2024-03-01', '2024-03-10')).toEqual({
      problem: '--from 2024-03-02 is after --to 2024-03-01',
    });
    expect(backfillDates('2024-02-30', '2024-03-01', '2024-03-10')).toEqual({
      problem: '--from takes a date as YYYY-MM-DD',
    });
    // 2023-03-01..2024-03-01 is 367 days (2024 is a leap year).
    expect(backfillDates('2023-03-01', '2024-03-01', '2024-03-10')).toEqual({
      problem: '367 days is more than 366 at a time; split the range',
    });
    expect(backfillDates('2023-03-02', '2024-03-01', '2024-03-10')).toHaveLength(366);
  });

  it('runs daily/<date> per day as a backfill: decisions stored, nothing proposed or mailed; a re-run finds finished days and reruns a terminated one', async () => {
    const config = await seededConfig();
    const client = await testClient(config);
    clients.push(client);

    // 2024-02-29 was started once and terminated (nobody polls that queue): a backfill may run it again.
    const stuck = await client.workflow.start('dailyPipeline', {
      taskQueue: `nobody-${config.TEMPORAL_TASK_QUEUE}`,
      workflowId: workflowIds.daily('2024-02-29'),
      args: [{ date: '2024-02-29' }],
    });
    await stuck.terminate('test: a day that never finished');

    await withWorker(config, async (main) => {
      const first = await backfillCli(config, ['--from', '2024-03-01', '--to', '2024-03-02']);
      expect(first.code, first.output).toBe(0);
      expect(first.days.map((d) => [d.date, d.start, d.status, d.campaigns, d.alerts])).toEqual([
        ['2024-03-01', 'started', 'completed', 3, 2],
        ['2024-03-02', 'started', 'completed', 3, 2],
      ]);

      const second = await backfillCli(config, ['--from', '2024-02-28', '--to', '2024-03-02']);
      expect(second.code, second.output).toBe(0);
      expect(second.days.map((d) => [d.workflowId, d.start, d.status])).toEqual([
        ['daily/2024-02-28', 'started', 'completed'],
        ['daily/2024-02-29', 'started', 'completed'],
        ['daily/2024-03-01', 'existing', 'completed'],
        ['daily/2024-03-02', 'existing', 'completed'],
      ]);
      expect(second.summary).toEqual({ days: 4, started: 2, existing: 2, completed: 4, failed: [] });

      // Decisions and alerts stored for each of the four days: 3 campaigns, W's scale_up and L's cut_loss.
      expect(
        await main.warehouse.all(
          'SELECT as_of::VARCHAR AS as_of, count(*)::INTEGER AS n FROM decisions GROUP BY 1 ORDER BY 1',
        ),
      ).toEqual(['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02'].map((as_of) => ({ as_of, n: 3 })));
      expect(
        await main.warehouse.all(
          'SELECT campaign_id, type, count(DISTINCT as_of)::INTEGER AS days FROM alerts GROUP BY ALL ORDER BY 1',
        ),
      ).toEqual([
        { campaign_id: 'L', type: 'cut_loss', days: 4 },
        { campaign_id: 'W', type: 'scale_up', days: 4 },
      ]);
    });

    // Each day ran once as a backfill (the re-run found 03-01 and 03-02), asked nobody to act, mailed nothing.
    const tq = config.TEMPORAL_TASK_QUEUE;
    expect(await count(client, `WorkflowId = 'daily/2024-03-01'`)).toBe(1);
    expect(await count(client, `WorkflowId = 'daily/2024-02-29'`)).toBe(2);
    expect(await count(client, `WorkflowType = 'budgetChange' AND TaskQueue = '${tq}'`)).toBe(0);
    expect(eml(config.OUTBOX_DIR)).toEqual([]);
    expect(existsSync(config.REPORTS_DIR)).toBe(false);
  }, 120_000);

  it('says what is wrong with the range before starting anything', async () => {
    const config = testConfig({ TZ: 'UTC' });
    const today = new Date().toISOString().slice(0, 10);
    const bad = await backfillCli(config, ['--from', '2024-03-01', '--to', today]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain(`--to ${today} is not in the past`);
    const missing = await backfillCli(config, ['--from', '2024-03-01']);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('backfill needs --from DATE and --to DATE');
  }, 60_000);
});

describe('the daily schedule backfilled by Temporal', () => {
  it('loads and decides each missed day, but proposes and mails nothing for a day gone by', async () => {
    const config = await seededConfig();
    const client = await testClient(config);
    const tq = config.TEMPORAL_TASK_QUEUE;
    const idPrefix = `daily-${tq}`;
    const definition = {
      ...dailyPipelineSchedule(config),
      scheduleId: `daily-pipeline-${tq}`,
      args: [{ timeZone: 'UTC', idPrefix }],
    };
    await applySchedules(client, config, [definition]);
    const schedule = client.schedule.getHandle(definition.scheduleId);
    try {
      await withWorker(config, async () => {
        // Start exclusive, end inclusive: the 06:00 UTC runs due on 2024-02-27 and 2024-02-28.
        await schedule.backfill({
          start: new Date('2024-02-27T00:00:00Z'),
          end: new Date('2024-02-28T23:59:59Z'),
          overlap: ScheduleOverlapPolicy.BUFFER_ALL,
        });
        const days = ['2024-02-27', '2024-02-28'];
        const summaries = await waitFor(
          async () => {
            if (
              (await count(
                client,
                `WorkflowType = 'dailyPipeline' AND TaskQueue = '${tq}' AND ExecutionStatus = 'Completed'`,
              )) < 2
            )
              return false;
            return Promise.all(
              days.map(async (d) => (await client.workflow.getHandle(`${idPrefix}/${d}`).result()) as DailyRunSummary),
            );
          },
          90_000,
          'both backfilled days completed',
        );
        // Runs due on an earlier day are backfills: decisions stored, no proposals, no report mailed.
        expect(
          summaries.map((s) => [s.date, s.decisions.campaigns, s.decisions.alerts, s.decisions.proposed, s.report]),
        ).toEqual([
          ['2024-02-27', 3, 2, [], null],
          ['2024-02-28', 3, 2, [], null],
        ]);
      });
      expect(eml(config.OUTBOX_DIR)).toHaveLength(0);
    } finally {
      await schedule.delete();
      await client.connection.close();
    }
  }, 150_000);
});
