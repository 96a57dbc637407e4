import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createAuditActivities, listAudit, verifyChain } from '../../activities/approvals/audit';
import { outcomesReport } from '../../activities/approvals/outcomes-query';
import { Warehouse } from '../../activities/warehouse/warehouse';
import { spawnCli } from '../support/processes';

const event = (n: number, e: string) => ({
  event: e,
  workflowId: `budget-change/c${n}/2025-10-12/scale_up`,
  runId: 'run-1',
  campaignId: `c${n}`,
  owner: 'ben',
  details: { n },
});

describe('the audit log', () => {
  it('is append-only through scaleflow, chained by hash, and an edit behind its back is detected', async () => {
    const db = join(inject('scratchDir'), 'audit.duckdb');
    const warehouse = await Warehouse.open(db);
    const { appendAudit } = createAuditActivities({ warehouse });
    await appendAudit(event(1, 'proposed'));
    await appendAudit(event(1, 'decided'));
    await appendAudit(event(2, 'proposed'));
    // A retried activity appends nothing new.
    await appendAudit(event(1, 'decided'));
    expect(await listAudit(warehouse, {})).toHaveLength(3);
    expect(await listAudit(warehouse, { campaignId: 'c1' })).toHaveLength(2);

    // No statement of scaleflow's rewrites audit_log, and a person's SQL reaches the file only
    // through `scaleflow sql`, where DuckDB refuses every write (test/ops/sql-readonly.test.ts).
    expect(verifyChain(await listAudit(warehouse, {}))).toEqual({ ok: true });

    // Someone edits the file with another tool: the chain breaks at that row.
    await warehouse.connection.run("UPDATE audit_log SET campaign_id = 'other' WHERE seq = 2");
    expect(verifyChain(await listAudit(warehouse, {}))).toEqual({ ok: false, seq: 2 });
    warehouse.close();

    const cli = spawnCli(['audit', '--verify', '--db', db], {});
    expect(await cli.exited).toBe(1);
    expect(JSON.parse(cli.output())).toEqual({ ok: false, seq: 2 });
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
        `INSERT INTO outcome_checks VALUES ($1, 'c', $2, $3, $3, DATE '2025-10-01', now(), 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 0, NULL, $4, $4)`,
        [wf, owner, rule, right],
      );
    }
    const { accuracy } = await outcomesReport(warehouse, { start: '2025-01-01', end: '2025-12-31', owner: 'all' });
    warehouse.close();
    // 4 of 5 right overall; scale_up 2/3; ben's scale_up 1/2; cut_loss 2/2.
    expect(accuracy).toEqual([
      { rule: 'all', owner: 'all', checked: 5, right: 4, accuracy: 0.8 },
      { rule: 'cut_loss', owner: 'all', checked: 2, right: 2, accuracy: 1 },
      { rule: 'cut_loss', owner: 'tj', checked: 2, right: 2, accuracy: 1 },
      { rule: 'scale_up', owner: 'all', checked: 3, right: 2, accuracy: 0.667 },
      { rule: 'scale_up', owner: 'ben', checked: 2, right: 1, accuracy: 0.5 },
      { rule: 'scale_up', owner: 'tj', checked: 1, right: 1, accuracy: 1 },
    ]);
  });
});
