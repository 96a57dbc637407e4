import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { setTimeout as delay } from 'node:timers/promises';
import { beating, createStrategisActivities, STILL_LOADING } from '../../activities/strategis';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { testConfig } from '../support/temporal';
import { AS_OF, freshWarehouse, scratch } from './support';

/**
 * The loads run under a 30-second heartbeat timeout (so a killed warehouse is noticed quickly): they
 * must heartbeat as they go, or a long load is killed as if its worker had died. The SDK's activity
 * environment records each heartbeat the real activity sends.
 */
describe('loadStrategisFile heartbeats', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
  });
  afterAll(() => warehouse.close());

  it('after each step, and every 10,000 rows the row reader checks', async () => {
    const dir = scratch();
    const path = join(dir, 'long.csv');
    // 25,000 campaigns; one name holds a line break, which leaves the file to the row reader.
    const rows = Array.from(
      { length: 25_000 },
      (_, i) => `2025-10-12,c${i},"${i === 0 ? 'Two\nLines' : `Camp ${i}`}_FB",dan,Solar,10.00,12.00`,
    );
    writeFileSync(path, `date,campaign_id,campaign_name,owner,category,spend,revenue\n${rows.join('\n')}\n`);
    const beats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (detail: unknown) => beats.push(detail));
    const activities = createStrategisActivities({
      config: testConfig({ ARCHIVE_DIR: join(dir, 'archive') }),
      warehouse,
    });

    const result = await env.run(activities.loadStrategisFile, {
      path,
      name: 'long.csv',
      source: 'http' as const,
      asOf: AS_OF,
    });

    expect(result).toMatchObject({ accepted: 25_000, parser: 'rows' });
    // 25,000 rows: progress at rows 10,000 and 20,000 (not 30,000); one beat per step around them.
    // The timer's beats come in between on a slow machine; the steps' come in order.
    expect(beats.filter((b) => b !== STILL_LOADING)).toEqual([
      'archived long.csv',
      'checked 10000 rows',
      'checked 20000 rows',
      'read 25000 lines (rows)',
      'loaded 25000 rows',
    ]);
  });

  it('on a timer while one step runs long (one DuckDB statement of a large file sends none of its own)', async () => {
    const beats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (detail: unknown) => beats.push(detail));
    // A 400 ms step with a 50 ms timer: 400 / 50 = 8 beats, at least 4 on a busy machine.
    expect(await env.run(() => beating(() => delay(400).then(() => 'done'), 50))).toBe('done');
    const during = beats.length;
    expect(during).toBeGreaterThanOrEqual(4);
    expect(beats.every((b) => b === STILL_LOADING)).toBe(true);
    // Stopped with the work: nothing beats for a finished load.
    await delay(200);
    expect(beats.length).toBe(during);
  });
});
