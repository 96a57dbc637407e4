import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { spawnCli, spawnWorker, waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient, workerProcessEnv } from '../support/temporal';
import { approvalConfig, linkIn, proposal } from './harness';

/**
 * The attacks of issue 16 item 2, each on a copy of a warehouse whose audit trail real approvals
 * wrote (two proposals, each rejected through its emailed link, so the decided rows carry the
 * approver's IP and browser). Someone with the files but not AUDIT_SECRET edits the copy with
 * DuckDB itself; `scaleflow audit --verify` must exit 1 naming the first row that no longer holds.
 */
describe('scaleflow audit --verify against edits made behind scaleflow', () => {
  let smtp: SmtpCapture;
  let config: Config;
  let original: string;
  let copies = 0;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    config = await approvalConfig(smtp);
    original = config.SCALEFLOW_DB;
    const client = await testClient(config);
    const worker = await startWorker(config);
    try {
      for (const campaignId of ['tamper-a', 'tamper-b']) {
        const p = proposal({ campaignId });
        const handle = await client.workflow.start('budgetChange', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
          args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 1000, dryRun: false } }],
        });
        const mail = await waitFor(
          () =>
            smtp.messages.find(
              (m) =>
                (Array.isArray(m.to) ? m.to[0] : m.to)!.text === 'lead@example.com' && m.text?.includes(campaignId),
            ),
          20_000,
          `${campaignId}'s approval email`,
        );
        // The harness's form post, with a browser's User-Agent so the decided row records one.
        const answer = await fetch(linkIn(mail.text), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Tamper-Test-Browser/1.0' },
          body: 'decision=reject',
        });
        expect(answer.status).toBe(200);
        expect(((await handle.result()) as BudgetChangeStatus).state).toBe('rejected');
      }
    } finally {
      await worker.stop();
      await client.connection.close();
    }
  }, 90_000);
  afterAll(async () => {
    await smtp?.close();
  });

  /** A copy of the warehouse and its head file, as someone with the disk would take it. */
  function copy(): string {
    const db = join(inject('scratchDir'), `tampered-${++copies}.duckdb`);
    copyFileSync(original, db);
    if (existsSync(`${original}.wal`)) copyFileSync(`${original}.wal`, `${db}.wal`);
    // (Tolerated missing, so this file also runs against the code from before the head file existed.)
    if (existsSync(`${original}.audit-head`)) copyFileSync(`${original}.audit-head`, `${db}.audit-head`);
    return db;
  }

  /** Edits the copy with DuckDB directly, as another tool would (no scaleflow guard in the way). */
  async function edit(
    db: string,
    fn: (run: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<void>,
  ): Promise<void> {
    const instance = await DuckDBInstance.create(db);
    const connection = await instance.connect();
    await fn(
      async (sql, params) =>
        (await connection.runAndReadAll(sql, params as never)).getRowObjectsJson() as Record<string, unknown>[],
    );
    connection.closeSync();
    instance.closeSync();
  }

  async function verify(db: string, env: Record<string, string> = { AUDIT_SECRET: config.AUDIT_SECRET! }) {
    const cli = spawnCli(['audit', '--verify', '--db', db], env);
    const code = await cli.exited;
    return { code, output: cli.output(), verdict: code === 0 || code === 1 ? JSON.parse(cli.output()) : null };
  }

  it('verifies the untouched copy: 6 rows (proposed, approval_requested, decided for each of 2 proposals)', async () => {
    const { code, verdict } = await verify(copy());
    expect(verdict).toMatchObject({ ok: true, rows: 6, head: { seq: 6 } });
    expect(code).toBe(0);
    // The head file has one line per append: 6 appends, the last one seq 6.
    const lines = readFileSync(`${original}.audit-head`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  // seq 3 is the first proposal's `decided` row (proposed 1, approval_requested 2, decided 3).
  it.each([
    ['actor_ip', "UPDATE audit_log SET actor_ip = '203.0.113.7' WHERE seq = 3"],
    ['actor_agent', "UPDATE audit_log SET actor_agent = 'Mozilla/5.0 (innocent)' WHERE seq = 3"],
    ['recorded_at', 'UPDATE audit_log SET recorded_at = recorded_at - INTERVAL 1 HOUR WHERE seq = 3'],
  ])('fails at seq 3 when its %s is edited', async (_column, sql) => {
    const db = copy();
    await edit(db, async (run) => {
      const before = await run('SELECT actor_ip, actor_agent FROM audit_log WHERE seq = 3');
      // The trail is real: the decision was recorded with the approver's IP and browser.
      expect(before).toEqual([{ actor_ip: '127.0.0.1', actor_agent: 'Tamper-Test-Browser/1.0' }]);
      await run(sql);
    });
    const { code, verdict } = await verify(db);
    expect(verdict).toMatchObject({ ok: false, seq: 3, differs: 'hash' });
    expect(code).toBe(1);
  });

  it('fails naming seq 5 when the last two rows are deleted (the head file says 6)', async () => {
    const db = copy();
    await edit(db, async (run) => void (await run('DELETE FROM audit_log WHERE seq >= 5')));
    const { code, verdict } = await verify(db);
    expect(verdict).toMatchObject({ ok: false, seq: 5, differs: 'missing' });
    expect(verdict.detail).toContain('rows 5–6 were deleted');
    expect(code).toBe(1);
  });

  it('fails naming seq 1 when every row is deleted', async () => {
    const db = copy();
    await edit(db, async (run) => void (await run('DELETE FROM audit_log')));
    const { code, verdict } = await verify(db);
    expect(verdict).toMatchObject({ ok: false, seq: 1, differs: 'missing' });
    expect(verdict.detail).toContain('every row was deleted');
    expect(code).toBe(1);
  });

  /** Rewrites row 3's actor, then re-hashes rows 3..6 with `hash` and appends a matching head line. */
  async function editAndRechain(db: string, hash: (prev: string, row: Record<string, unknown>) => string) {
    await edit(db, async (run) => {
      await run("UPDATE audit_log SET actor = 'mallory@example.com' WHERE seq = 3");
      const rows = await run(
        'SELECT seq::INTEGER AS seq, epoch_us(recorded_at)::VARCHAR AS recorded_us, event, workflow_id, run_id, campaign_id, owner, actor, actor_ip, actor_agent, details::VARCHAR AS details, prev_hash FROM audit_log ORDER BY seq',
      );
      let prev = String((await run('SELECT hash FROM audit_log WHERE seq = 2'))[0]!.hash);
      for (const row of rows.filter((r) => Number(r.seq) >= 3)) {
        const h = hash(prev, row);
        await run('UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, h, Number(row.seq)]);
        prev = h;
      }
      appendFileSync(`${db}.audit-head`, `${JSON.stringify({ seq: 6, hash: prev, at: new Date().toISOString() })}\n`);
    });
  }

  it('fails at seq 3 when row 3 is edited and the chain recomputed with plain SHA-256, as the old code hashed it', async () => {
    const db = copy();
    // The old chainHash: sha256(prev_hash + JSON of event, workflow, run, campaign, owner, actor, details).
    await editAndRechain(db, (prev, r) =>
      createHash('sha256')
        .update(prev)
        .update(
          JSON.stringify([
            r.event,
            r.workflow_id,
            r.run_id,
            r.campaign_id,
            r.owner,
            r.actor,
            JSON.stringify(JSON.parse(String(r.details))),
          ]),
        )
        .digest('hex'),
    );
    const { code, verdict } = await verify(db);
    expect(verdict).toMatchObject({ ok: false, seq: 3, differs: 'hash' });
    expect(code).toBe(1);
  });

  it('fails at seq 3 when row 3 is edited and the chain recomputed with the new encoding but without the key', async () => {
    const db = copy();
    // Every column in the new canonical order, HMAC'd with a key the attacker made up.
    await editAndRechain(db, (prev, r) =>
      createHmac('sha256', 'a-guess-at-the-key-a-guess-at-the-key')
        .update(
          JSON.stringify([
            'scaleflow.audit.v2',
            String(r.seq),
            r.recorded_us,
            r.event,
            r.workflow_id,
            r.run_id,
            r.campaign_id,
            r.owner,
            r.actor,
            r.actor_ip,
            r.actor_agent,
            r.details,
            prev,
          ]),
        )
        .digest('hex'),
    );
    const { code, verdict } = await verify(db);
    expect(verdict).toMatchObject({ ok: false, seq: 3, differs: 'hash' });
    expect(code).toBe(1);
  });

  it('refuses to verify without AUDIT_SECRET, and the worker refuses to start without it', async () => {
    const db = copy();
    const cli = spawnCli(['audit', '--verify', '--db', db], { AUDIT_SECRET: '' });
    expect(await cli.exited).toBe(78);
    expect(cli.output()).toContain('AUDIT_SECRET is not set');

    const worker = spawnWorker(workerProcessEnv(config, { SCALEFLOW_DB: db, AUDIT_SECRET: '' }));
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain('AUDIT_SECRET is not set');
  });
});
