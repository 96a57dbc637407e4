import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createAuditActivities } from '../../activities/approvals/audit';
import { runCell } from '../../services/reports/query';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { CellDefinition } from '../../lib/reports/cell';

// Issue 16 item 1: DuckDB's own switches, set when a connection opens, decide what SQL can reach
// beyond the warehouse file. These go straight to the connection (no statement check in between),
// so they prove the switches themselves hold.

const FILES_OFF = 'file system operations are disabled by configuration';
const LOCKED = 'the configuration has been locked';

async function seeded(name: string): Promise<string> {
  const path = join(inject('scratchDir'), name);
  const warehouse = await Warehouse.open(path);
  const { appendAudit } = createAuditActivities({ warehouse, secret: 'test-audit-secret-test-audit-secret-0123' });
  await appendAudit({
    event: 'proposed',
    workflowId: 'budget-change/c1/2025-10-12/scale_up',
    runId: 'r',
    campaignId: 'c1',
    owner: 'ben',
    details: {},
  });
  warehouse.close();
  return path;
}

describe('what a warehouse connection can reach', () => {
  it('a read-only open (sql, audit, analytics, outcomes, rules) reaches no file, URL or other database, and cannot turn that back on', async () => {
    const path = await seeded('access-ro.duckdb');
    const other = join(inject('scratchDir'), 'access-other.duckdb');
    const warehouse = await Warehouse.open(path, { readOnly: true });
    try {
      await expect(warehouse.connection.run(`ATTACH '${other}' AS w (READ_WRITE)`)).rejects.toThrow(FILES_OFF);
      await expect(warehouse.connection.run("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(FILES_OFF);
      await expect(
        warehouse.connection.run(`COPY audit_log TO '${join(inject('scratchDir'), 'access-out.csv')}'`),
      ).rejects.toThrow(FILES_OFF);
      await expect(warehouse.connection.run('SET enable_external_access = true')).rejects.toThrow(LOCKED);
      await expect(warehouse.connection.run('RESET lock_configuration')).rejects.toThrow(LOCKED);
      await expect(warehouse.connection.run('SET autoload_known_extensions = true')).rejects.toThrow(LOCKED);
      // Read-only for writes too, whatever the spelling.
      await expect(warehouse.connection.run('/* read */ DELETE FROM "main"."audit_log"')).rejects.toThrow(/read-only/);
      expect(await warehouse.all('SELECT count(*)::INTEGER AS n FROM audit_log')).toEqual([{ n: 1 }]);
    } finally {
      warehouse.close();
    }
  });

  it('a writable open that reads no file (report, sync-spend) writes its own tables but reaches no file', async () => {
    const warehouse = await Warehouse.open(':memory:', { files: false });
    try {
      await warehouse.run('CREATE TABLE t (x INTEGER)');
      await warehouse.run('INSERT INTO t VALUES (1)');
      expect(await warehouse.all('SELECT x FROM t')).toEqual([{ x: 1 }]);
      await expect(warehouse.connection.run("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(FILES_OFF);
      await expect(warehouse.connection.run('SET enable_external_access = true')).rejects.toThrow(LOCKED);
    } finally {
      warehouse.close();
    }
  });

  it('the writer (worker, ingest, map) reads its CSVs, with extension loading off and the configuration locked', async () => {
    const csv = join(inject('scratchDir'), 'access-map.csv');
    writeFileSync(csv, 'campaign_id,owner\nc1,ben\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      expect(await warehouse.all('SELECT * FROM read_csv($file, all_varchar = true)', { file: csv })).toEqual([
        { campaign_id: 'c1', owner: 'ben' },
      ]);
      expect(
        await warehouse.all(
          "SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('autoload_known_extensions') AS load, current_setting('lock_configuration') AS locked",
        ),
      ).toEqual([{ install: false, load: false, locked: true }]);
      await expect(warehouse.connection.run('SET autoinstall_known_extensions = true')).rejects.toThrow(LOCKED);
    } finally {
      warehouse.close();
    }
  });

  it('a report cell runs on the writer, so DuckDB must read its SQL as a query', async () => {
    const path = await seeded('access-cell.duckdb');
    const warehouse = await Warehouse.open(path, { files: false });
    try {
      const before = await warehouse.all('SELECT * FROM audit_log');
      const cell = { id: '999_sneaky', sql: '/* the summary */ DELETE FROM main.audit_log' } as CellDefinition;
      await expect(
        runCell(warehouse, cell, { asOf: '2025-10-13', yesterday: '2025-10-12', owner: null, timeZone: 'UTC' }),
      ).rejects.toThrow('report cell 999_sneaky: DuckDB reads its SQL as DELETE; a cell is one query (SELECT or WITH)');
      expect(await warehouse.all('SELECT * FROM audit_log')).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('counts a write by what DuckDB says the statement is, so a WITH ... INSERT is not taken for a read', async () => {
    const warehouse = await Warehouse.open(':memory:', { migrate: false });
    try {
      await warehouse.run('CREATE TABLE t (n INTEGER)');
      const read = warehouse.generation;
      await warehouse.all('WITH x AS (SELECT 1 AS n) SELECT n FROM x');
      expect(warehouse.generation).toBe(read);
      // Counted before and after the write: +2.
      await warehouse.all('WITH x AS (SELECT 1 AS n) INSERT INTO t SELECT n FROM x RETURNING n');
      expect(warehouse.generation).toBe(read + 2);
      // A read and a write in one text: the write counts.
      await warehouse.all('SELECT 1; DELETE FROM t');
      expect(warehouse.generation).toBe(read + 4);
    } finally {
      warehouse.close();
    }
  });
});
