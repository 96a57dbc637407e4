import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createAuditActivities } from '../../activities/approvals/audit';
import { Warehouse } from '../../services/warehouse/warehouse';
import { runCliInProcess } from '../support/cli';
import { spawnCli } from '../support/processes';

// Issue 16 item 1: `scaleflow sql` is read-only for real. Each attack below is the one the probe
// found, sent as it was sent; the audit rows of the warehouse and of a copy of it must not move.

const dir = () => inject('scratchDir');
const db = () => join(dir(), 'sql-readonly.duckdb');
const copy = () => join(dir(), 'sql-readonly-copy.duckdb');

async function auditRows(path: string): Promise<unknown[]> {
  const warehouse = await Warehouse.open(path, { readOnly: true });
  try {
    return await warehouse.all('SELECT * FROM audit_log ORDER BY seq');
  } finally {
    warehouse.close();
  }
}

/** The command's own dispatch in this process (the spawned case proves the process boundary). */
const sql = (query: string) => runCliInProcess(['sql', query, '--db', db()]);

let before: unknown[];

beforeAll(async () => {
  const warehouse = await Warehouse.open(db());
  const { appendAudit } = createAuditActivities({ warehouse, secret: 'test-audit-secret-test-audit-secret-0123' });
  for (const [n, event] of [
    [1, 'proposed'],
    [1, 'decided'],
    [2, 'proposed'],
  ] as const) {
    await appendAudit({
      event,
      workflowId: `budget-change/c${n}/2025-10-12/scale_up`,
      runId: 'run-1',
      campaignId: `c${n}`,
      owner: 'ben',
      details: { n },
    });
  }
  warehouse.close();
  copyFileSync(db(), copy());
  before = await auditRows(db());
  expect(before).toHaveLength(3);
});

describe('scaleflow sql refuses every way around read-only', () => {
  const ONE = 'one statement per call: DuckDB found 2 in this query';
  const FILES = 'file system operations are disabled by configuration';
  const READS = 'reads only: DuckDB reads this statement as';
  const attacks: [what: string, query: () => string, says: string][] = [
    [
      'ATTACH a copy READ_WRITE, then DELETE from it',
      () => `ATTACH '${copy()}' AS w (READ_WRITE); DELETE FROM w.audit_log WHERE seq > 1`,
      ONE,
    ],
    ['ATTACH a copy READ_WRITE on its own', () => `ATTACH '${copy()}' AS w (READ_WRITE)`, `${READS} ATTACH`],
    ['COPY ... TO a file', () => `COPY audit_log TO '${join(dir(), 'stolen.csv')}'`, FILES],
    [
      'COPY (SELECT ...) TO a file',
      () => `COPY (SELECT * FROM audit_log) TO '${join(dir(), 'stolen2.csv')}' (HEADER)`,
      FILES,
    ],
    ['EXPORT DATABASE', () => `EXPORT DATABASE '${join(dir(), 'exported')}'`, FILES],
    ["read_text('/etc/passwd')", () => "SELECT * FROM read_text('/etc/passwd')", FILES],
    ['a read, then a write, in one call', () => 'SELECT 1; DELETE FROM audit_log', ONE],
    ['a schema-qualified write', () => 'DELETE FROM main.audit_log WHERE seq = 1', `${READS} DELETE`],
    ['a quoted, schema-qualified write', () => `UPDATE "main"."audit_log" SET actor = 'mallory'`, `${READS} UPDATE`],
    [
      'a write hidden after a line comment',
      () => "SELECT 1 AS harmless --\n; UPDATE audit_log SET actor = 'mallory'",
      ONE,
    ],
    ['a write hidden after a block comment', () => '/* SELECT */ DELETE FROM audit_log', `${READS} DELETE`],
    ['DROP TABLE', () => 'DROP TABLE audit_log', `${READS} DROP`],
    ['switching external access back on', () => 'SET enable_external_access = true', `${READS} SET`],
  ];

  for (const [what, query, says] of attacks) {
    it(`refuses ${what} with exit 2 and a sentence, and the audit rows stay as they were`, async () => {
      const ran = await sql(query());
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain('scaleflow sql: ');
      expect(ran.stderr).toContain(says);
      expect(ran.stderr).not.toContain('    at ');
      expect(ran.stdout).toBe('');
      expect(await auditRows(db())).toEqual(before);
      expect(await auditRows(copy())).toEqual(before);
      expect(existsSync(join(dir(), 'stolen.csv'))).toBe(false);
      expect(existsSync(join(dir(), 'stolen2.csv'))).toBe(false);
      expect(existsSync(join(dir(), 'exported'))).toBe(false);
    });
  }

  it('refuses the ATTACH-and-DELETE call as a real process, exit 2, both files untouched', async () => {
    const cli = spawnCli(['sql', `ATTACH '${copy()}' AS w (READ_WRITE); DELETE FROM w.audit_log`, '--db', db()], {});
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('scaleflow sql: one statement per call: DuckDB found 2 in this query');
    expect(await auditRows(copy())).toEqual(before);
    expect(await auditRows(db())).toEqual(before);
  });

  it("never prints a file's contents: read_text of /etc/passwd as a real process", async () => {
    const cli = spawnCli(['sql', "select content from read_text('/etc/passwd')", '--db', db()], {});
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('DuckDB refused the query: Permission Error');
    expect(cli.output()).not.toContain('root:');
  });
});

describe('scaleflow sql still answers reads', () => {
  it('SELECT, WITH, FROM-first, DESCRIBE, SHOW and SUMMARIZE', async () => {
    const json = async (query: string) => {
      const ran = await sql(query);
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      return JSON.parse(ran.stdout) as Record<string, unknown>[];
    };
    // Three rows were appended: c1 proposed, c1 decided, c2 proposed.
    expect(await json('select count(*)::INTEGER as n from audit_log')).toEqual([{ n: 3 }]);
    // proposed twice (c1, c2), decided once (c1).
    expect(
      await json(
        'with e as (select event, count(*)::INTEGER as n from audit_log group by event) select * from e order by event',
      ),
    ).toEqual([
      { event: 'decided', n: 1 },
      { event: 'proposed', n: 2 },
    ]);
    expect(await json('from audit_log select seq::INTEGER as seq, campaign_id order by seq')).toEqual([
      { seq: 1, campaign_id: 'c1' },
      { seq: 2, campaign_id: 'c1' },
      { seq: 3, campaign_id: 'c2' },
    ]);
    expect((await json('describe audit_log')).map((r) => r.column_name)).toEqual(
      expect.arrayContaining(['seq', 'event', 'actor', 'hash']),
    );
    expect(await json('show tables')).toEqual(expect.arrayContaining([{ name: 'audit_log' }]));
    const summary = await json('summarize audit_log');
    expect(summary.find((r) => r.column_name === 'campaign_id')).toMatchObject({ approx_unique: '2' });
    // A comment before a read is still a read.
    expect(await json('/* how many? */ select 42 as n -- the answer')).toEqual([{ n: 42 }]);
  });
});
