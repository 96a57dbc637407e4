import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datesBetween } from '../../lib/dates';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import { testClient, testConfig, withWorker } from '../support/temporal';
import { AS_OF, scratch } from './support';

/** Every scaleflow_* counter a scrape exports (by its # TYPE line), summed over its labels. */
function counters(text: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [, name] of text.matchAll(/^# TYPE (scaleflow_\w+) counter$/gm)) totals[name!] = 0;
  for (const [, name, value] of text.matchAll(/^(scaleflow_\w+?)(?:\{[^}]*\})? (\S+)$/gm)) {
    if (name! in totals) totals[name!]! += Number(value);
  }
  return totals;
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('the counters the worker exports at /metrics', () => {
  it('move when the daily pipeline loads a day and evaluates it', async () => {
    const dir = scratch('scaleflow-metrics-');
    const inbox = join(dir, 'inbox');
    const config = testConfig({
      INBOX_DIR: inbox,
      ARCHIVE_DIR: join(dir, 'archive'),
      CAMPAIGN_MAP_FILE: join(dir, 'no-map.csv'),
    });
    // W returns 200 on 100 a day and L 50 on 100, 10-03..10-12 (10 days each, 20 good rows):
    // as of 10-13, W is above scale_roas 130% with spend >= min_spend 50 on 3+ days in a row
    // (scale_up) and L below cut_roas 80% on 5+ days (cut_loss). Two rows are quarantined: a
    // negative spend, and a date after yesterday (10-13).
    const days = datesBetween('2025-10-03', '2025-10-12');
    const lines = [
      'date,campaign_id,owner,spend,revenue',
      ...days.map((d) => `${d},W,ben,100.00,200.00`),
      ...days.map((d) => `${d},L,tj,100.00,50.00`),
      '2025-10-12,N,tj,-5.00,10.00',
      '2025-10-13,F,tj,5.00,10.00',
    ];
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'upload.csv'), `${lines.join('\n')}\n`);

    const client = await testClient(config);
    try {
      await withWorker(config, async (main) => {
        const scrape = async () => (await fetch(`${main.http!.url}/metrics`)).text();
        const before = await scrape();
        const summary = (await client.workflow.execute('dailyPipeline', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `metrics-test/${config.TEMPORAL_TASK_QUEUE}/${AS_OF}`,
          // A backfill loads and evaluates the day like the daily run, and proposes nothing (no Meta here).
          args: [{ date: AS_OF, backfill: true }],
        })) as DailyRunSummary;
        expect(summary.totals).toMatchObject({ accepted: 20, quarantined: 2 });
        const after = await scrape();

        const was = counters(before);
        const now = counters(after);
        // Every counter exported; scaleflow_budget_writes_total belongs to the approval path and is
        // moved by its test (test/approvals/writes.test.ts), where an approved change is written.
        expect(Object.keys(now).sort()).toEqual([
          'scaleflow_alerts_raised_total',
          'scaleflow_budget_writes_total',
          'scaleflow_rows_ingested_total',
          'scaleflow_rows_quarantined_total',
        ]);
        const moved = (name: string) => now[name]! - was[name]!;
        expect(moved('scaleflow_rows_ingested_total')).toBe(20);
        expect(moved('scaleflow_rows_quarantined_total')).toBe(2);
        expect(moved('scaleflow_alerts_raised_total')).toBe(2);
        expect(
          sample(after, 'scaleflow_alerts_raised_total{type="scale_up"}') -
            sample(before, 'scaleflow_alerts_raised_total{type="scale_up"}'),
        ).toBe(1);
        expect(
          sample(after, 'scaleflow_alerts_raised_total{type="cut_loss"}') -
            sample(before, 'scaleflow_alerts_raised_total{type="cut_loss"}'),
        ).toBe(1);
      });
    } finally {
      await client.connection.close();
    }
  });
});
