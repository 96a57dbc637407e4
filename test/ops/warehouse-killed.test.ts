import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleReportLines } from '../../lib/sample/strategis';
import { Warehouse } from '../../services/warehouse/warehouse';

const dir = mkdtempSync(join(tmpdir(), 'scaleflow-killed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a warehouse process killed before its first checkpoint', () => {
  it('leaves a DuckDB file that opens again with every committed row', async () => {
    // 3 campaigns over 2026-11-01..2026-11-10, launched on the first day (campaign 0 by rule, the
    // others at a seeded random day): at most 3 x 10 = 30 rows, one per (date, campaign).
    const file = join(dir, 'report.csv');
    const lines = [
      ...sampleReportLines({ start: '2026-11-01', end: '2026-11-10', campaigns: 3, seed: 42, pulledOn: '2026-11-11' }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const rows = lines.length - 1;
    expect(rows).toBeGreaterThanOrEqual(10);
    expect(rows).toBeLessThanOrEqual(30);

    const db = join(dir, 'scaleflow.duckdb');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../support/load-then-die.mts', import.meta.url)),
        db,
        file,
        join(dir, 'archive'),
        '2026-11-11',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    // The load committed into the write-ahead log only: the restart replays it.
    expect(existsSync(`${db}.wal`)).toBe(true);

    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const stored = await warehouse.one<{ n: bigint | number | string }>(
        'SELECT count(*) AS n FROM campaign_daily_facts',
      );
      expect(Number(stored!.n)).toBe(rows);
    } finally {
      warehouse.close();
    }
  }, 90_000);
});
