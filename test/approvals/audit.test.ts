import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chainRows, createAuditActivities, listAudit } from '../../activities/approvals/audit';
import { readLastHead } from '../../services/audit/audit-head';
import { renderReportFiles } from '../../services/reports/engine';
import { verifyChain } from '../../lib/approvals/audit-chain';
import { outcomesReport } from '../../services/analytics/outcomes-query';
import { Warehouse } from '../../services/warehouse/warehouse';
import { spawnCli } from '../support/processes';

const KEY = 'unit-audit-secret-unit-audit-secret-0123';

const event = (n: number, e: string) => ({
  event: e,
  workflowId: `budget-change/c${n}/2025-10-12/scale_up`,
  runId: 'run-1',
  campaignId: `c${n}`,
  owner: 'ben',
  details: { n },
});

describe('the audit log', () => {
  it('is append-only through scaleflow, chained by HMAC, and an edit behind its back is detected', async () => {
    const db = join(inject('scratchDir'), 'audit.duckdb');
    const warehouse = await Warehouse.open(db);
    const { appendAudit } = createAuditActivities({ warehouse, secret: KEY });
    await appendAudit(event(1, 'proposed'));
    await appendAudit(event(1, 'decided'));
    await appendAudit(event(2, 'proposed'));
    // A retried activity appends nothing new, and writes no head line.
    await appendAudit(event(1, 'decided'));
    expect(await listAudit(warehouse, {})).toHaveLength(3);
    expect(await listAudit(warehouse, { campaignId: 'c1' })).toHaveLength(2);
    expect(
      readFileSync(`${db}.audit-head`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual([1, 2, 3]);

    // No statement of scaleflow's rewrites audit_log, and a person's SQL reaches the file only
    // through `scaleflow sql`, where DuckDB refuses every write (test/ops/sql-readonly.test.ts).
    const head = readLastHead(`${db}.audit-head`)!;
    expect(verifyChain(await chainRows(warehouse), KEY, head)).toMatchObject({ ok: true, rows: 3 });

    // The day's report carries the same head, as of rendering: the third append, its hash.
    const reportsDir = join(inject('scratchDir'), 'audit-reports');
    const { view } = await renderReportFiles({ warehouse, reportsDir, asOf: '2025-10-13' });
    expect(view.cells.find((c) => c.id === '097_audit_head')!.sentence.text).toContain(
      `ended at row 3 with hash ${head.hash}`,
    );
    expect(readFileSync(join(reportsDir, '2025-10-13', 'team.html'), 'utf8')).toContain(head.hash);
    expect(head.seq).toBe(3);

    // Someone edits the file with another tool: the chain breaks at that row.
    await warehouse.connection.run("UPDATE audit_log SET campaign_id = 'other' WHERE seq = 2");
    expect(verifyChain(await chainRows(warehouse), KEY, readLastHead(`${db}.audit-head`))).toMatchObject({
      ok: false,
      seq: 2,
      differs: 'hash',
    });
    // ...and the worker appends nothing after a tail the key does not verify.
    await warehouse.connection.run("UPDATE audit_log SET campaign_id = 'other' WHERE seq = 3");
    await expect(appendAudit(event(3, 'proposed'))).rejects.toThrow('seq 3 does not verify under AUDIT_SECRET');
    warehouse.close();

    const cli = spawnCli(['audit', '--verify', '--db', db], { AUDIT_SECRET: KEY });
    expect(await cli.exited).toBe(1);
    expect(JSON.parse(cli.output())).toMatchObject({ ok: false, seq: 2, differs: 'hash' });
  });

  it('verify compares the chain with the heads the daily reports recorded: a cut made together with the head file is caught', async () => {
    const db = join(inject('scratchDir'), 'audit-cut.duckdb');
    const reportsDir = join(inject('scratchDir'), 'audit-cut-reports');
    const warehouse = await Warehouse.open(db);
    const { appendAudit } = createAuditActivities({ warehouse, secret: KEY });
    for (const n of [1, 2, 3]) await appendAudit(event(n, 'proposed'));
    // The report of the 13th is made (and mailed, and kept) while the log ends at row 3.
    await renderReportFiles({ warehouse, reportsDir, asOf: '2025-10-13' });
    // Someone who can write the warehouse's folder deletes row 3 and the head file's last line:
    // the chain and the head file agree again (rows 1-2, head at 2).
    await warehouse.connection.run('DELETE FROM audit_log WHERE seq = 3');
    warehouse.close();
    const headFile = `${db}.audit-head`;
    writeFileSync(headFile, readFileSync(headFile, 'utf8').trim().split('\n').slice(0, 2).join('\n') + '\n');

    const env = { AUDIT_SECRET: KEY, REPORTS_DIR: reportsDir };
    const cut = spawnCli(['audit', '--verify', '--db', db], env);
    expect(await cut.exited).toBe(1);
    expect(JSON.parse(cut.output())).toMatchObject({ ok: false, seq: 3, differs: 'report_head' });
    expect(JSON.parse(cut.output()).detail).toContain('the report of 2025-10-13 (team) recorded seq 3');
    // Without the reports (another REPORTS_DIR), the head file alone cannot see it: why both are kept.
    const blind = spawnCli(['audit', '--verify', '--db', db], { ...env, REPORTS_DIR: join(reportsDir, 'none') });
    expect(await blind.exited).toBe(0);
  });

  /** What the unkeyed code wrote: sha256(prev_hash + JSON of some columns), seq and recorded_at from DuckDB. */
  async function writeLegacyLog(db: string, rows: number): Promise<void> {
    const warehouse = await Warehouse.open(db);
    let prev = '0'.repeat(64);
    for (let n = 1; n <= rows; n++) {
      const e = event(n, 'proposed');
      const details = JSON.stringify(e.details);
      const hash = createHash('sha256')
        .update(prev)
        .update(JSON.stringify([e.event, e.workflowId, e.runId, e.campaignId, e.owner, null, details]))
        .digest('hex');
      await warehouse.connection.run(
        'INSERT INTO audit_log (event, workflow_id, run_id, campaign_id, owner, actor_ip, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7::JSON, $8, $9)',
        [e.event, e.workflowId, e.runId, e.campaignId, e.owner, '198.51.100.1', details, prev, hash],
      );
      prev = hash;
    }
    warehouse.close();
  }

  it('re-chains a log the unkeyed code wrote once, by `audit --rechain`, and then appends on the keyed chain', async () => {
    const db = join(inject('scratchDir'), 'legacy.duckdb');
    await writeLegacyLog(db, 3);
    const env = { AUDIT_SECRET: KEY };

    // Before: verify names seq 1 as written by the old code, and the worker appends nothing.
    const before = spawnCli(['audit', '--verify', '--db', db], env);
    expect(await before.exited).toBe(1);
    expect(JSON.parse(before.output())).toMatchObject({
      ok: false,
      seq: 1,
      differs: 'hash',
      detail: expect.stringContaining('--rechain'),
    });
    let warehouse = await Warehouse.open(db);
    await expect(createAuditActivities({ warehouse, secret: KEY }).appendAudit(event(9, 'proposed'))).rejects.toThrow(
      'seq 3 does not verify under AUDIT_SECRET',
    );
    warehouse.close();

    const rechain = spawnCli(['audit', '--rechain', '--db', db], env);
    expect(await rechain.exited).toBe(0);
    expect(JSON.parse(rechain.output())).toMatchObject({ ok: true, rechained: 3, head: { seq: 3 } });
    const after = spawnCli(['audit', '--verify', '--db', db], env);
    expect(await after.exited).toBe(0);
    expect(JSON.parse(after.output())).toMatchObject({ ok: true, rows: 3, head: { seq: 3 } });

    warehouse = await Warehouse.open(db);
    await createAuditActivities({ warehouse, secret: KEY }).appendAudit(event(9, 'proposed'));
    expect(verifyChain(await chainRows(warehouse), KEY, readLastHead(`${db}.audit-head`))).toMatchObject({
      ok: true,
      rows: 4,
      head: { seq: 4 },
    });
    warehouse.close();

    // Once keyed, it is never re-chained: that would launder an edit made since.
    const again = spawnCli(['audit', '--rechain', '--db', db], env);
    expect(await again.exited).toBe(1);
    expect(JSON.parse(again.output())).toMatchObject({ ok: false, detail: expect.stringContaining('already keyed') });
  });

  it('refuses to re-chain an old log that was edited, naming the row', async () => {
    const db = join(inject('scratchDir'), 'legacy-edited.duckdb');
    await writeLegacyLog(db, 3);
    const edit = await Warehouse.open(db);
    await edit.connection.run("UPDATE audit_log SET owner = 'tj' WHERE seq = 2");
    edit.close();
    const rechain = spawnCli(['audit', '--rechain', '--db', db], { AUDIT_SECRET: KEY });
    expect(await rechain.exited).toBe(1);
    expect(JSON.parse(rechain.output())).toMatchObject({ ok: false, seq: 2 });
    expect(existsSync(`${db}.audit-head`)).toBe(false);
  });

  it('reports recommendation accuracy = right / checked by rule and owner', async () => {
    const warehouse = await Warehouse.open(join(inject('scratchDir'), 'accuracy.duckdb'));
    const rows: [string, string, string, boolean][] = [
      ['w1', 'ben', 'scale_up', true],
      ['w2', 'ben', 'scale_up', false],
      ['w3', 'tj', 'scale_up', true],
      ['w4', 'tj', 'cut_loss', true],
      ['w5', 'tj', 'cut_loss', true],
    ];
    for (const [wf, owner, rule, right] of rows) {
      await warehouse.run(
        `INSERT INTO outcome_checks VALUES ($1, 'c', $2, $3, $3, DATE '2025-10-01', now(), 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 0, NULL, $4, $4, 'campaign', 'c', NULL, NULL, NULL, NULL)`,
        [wf, owner, rule, right],
      );
    }
    const { accuracy } = await outcomesReport(warehouse, { start: '2025-01-01', end: '2025-12-31', owner: 'all' });
    warehouse.close();
    // 4 of 5 right overall; scale_up 2/3; ben's scale_up 1/2; cut_loss 2/2. None had a control (NULL).
    const noControls = { checked_vs_control: 0, right_vs_control: 0, accuracy_vs_control: null };
    expect(accuracy).toEqual([
      { rule: 'all', owner: 'all', checked: 5, right: 4, accuracy: 0.8, ...noControls },
      { rule: 'cut_loss', owner: 'all', checked: 2, right: 2, accuracy: 1, ...noControls },
      { rule: 'cut_loss', owner: 'tj', checked: 2, right: 2, accuracy: 1, ...noControls },
      { rule: 'scale_up', owner: 'all', checked: 3, right: 2, accuracy: 0.667, ...noControls },
      { rule: 'scale_up', owner: 'ben', checked: 2, right: 1, accuracy: 0.5, ...noControls },
      { rule: 'scale_up', owner: 'tj', checked: 1, right: 1, accuracy: 1, ...noControls },
    ]);
  });
});
