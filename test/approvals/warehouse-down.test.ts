import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { startApiServer } from '../../workers/api-process';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { signApiToken } from '../../workers/http/jwt';
import { metaEnv } from '../meta/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { approvalConfig, linkIn, postDecision, proposal } from './harness';

const JWT_SECRET = 'jwt-secret-jwt-secret-jwt-secret-0123456789';

/**
 * The production topology in one process: `scaleflow api` (Temporal only), a meta and an io worker,
 * and a warehouse worker that is stopped while the approver clicks.
 */
describe('an approval clicked while the warehouse worker is down', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 20000 }, '501');
  });
  afterAll(async () => {
    await sandbox.close();
    await smtp.close();
  });

  it('is kept by the workflow, answered by scaleflow api, and audited and written once a warehouse worker starts', async () => {
    // A generous Meta timeout: the recheck's live read must not fail on a busy machine.
    const config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001'], { META_REQUEST_TIMEOUT: '30s' }),
      JWT_SECRET,
    });
    const client = await testClient(config);
    const api = await startApiServer(config);
    const meta = await startWorker(config, { role: 'meta' });
    const io = await startWorker(config, { role: 'io' });
    let warehouse = await startWorker(config, { role: 'warehouse', http: false });
    try {
      const p = proposal({ campaignId: 'down-w', metaCampaignId: '501', accountId: 'act_1001' });
      const handle = await client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`,
        args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
      });
      const mail = await waitFor(
        () =>
          smtp.messages.find(
            (m) => m.text?.includes('down-w') && (m.to as { text: string }).text === 'lead@example.com',
          ),
        20_000,
        'the approval email',
      );
      await waitFor(
        async () => (await handle.query(statusQuery)).state === 'awaiting_approval',
        20_000,
        'awaiting approval',
      );

      await warehouse.stop();
      // The click, served by scaleflow api while no process has the DuckDB file open.
      const res = await postDecision(linkIn(mail.text), 'approve');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('approve');
      const kept = (await handle.query(statusQuery)) as BudgetChangeStatus;
      expect(kept.decision).toMatchObject({ decision: 'approve', approver: 'lead@example.com' });
      // The run moves on at once (a meta or io worker runs its workflow task) and then waits for the warehouse.
      await waitFor(async () => (await handle.query(statusQuery)).state === 'approved', 10_000, 'the approved state');
      // Nothing reached the warehouse or Meta yet: the audit row and the recheck wait on the warehouse queue.
      const before = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
      const rowsBefore = await before.all<{ event: string }>(
        'SELECT event FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
        [handle.workflowId],
      );
      before.close();
      expect(rowsBefore.map((r) => r.event)).toEqual(['proposed', 'approval_requested']);
      expect(sandbox.log.filter((r) => r.method === 'POST')).toEqual([]);

      // The JSON API is not this process's: its routes keep their auth and say where they are served.
      const base = api.http.url.replace(/\/$/, '');
      expect((await fetch(`${base}/api/facebook/decisions`)).status).toBe(401);
      const token = await signApiToken(JWT_SECRET, { role: 'manager', sub: 'ops@example.com' }, 60_000);
      const analytics = await fetch(`${base}/api/facebook/decisions`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(analytics.status).toBe(503);
      expect(await analytics.json()).toMatchObject({ error: 'warehouse_not_here', served_by: 'warehouse' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      warehouse = await startWorker(config, { role: 'warehouse', http: false });
      await waitFor(
        async () => (await handle.query(statusQuery)).state === 'written',
        30_000,
        'the write after the warehouse is back',
      );
      // The state changes just before the write's audit row is appended: wait for that row too.
      const audited = () =>
        warehouse.main.warehouse.all<{ event: string; actor: string | null }>(
          'SELECT event, actor FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
          [handle.workflowId],
        );
      const rows = await waitFor(
        async () => {
          const r = await audited();
          return r.some((row) => row.event === 'written') && r;
        },
        30_000,
        'the written row',
      );
      expect(rows.map((r) => r.event)).toEqual(['proposed', 'approval_requested', 'decided', 'written']);
      expect(rows[2]!.actor).toBe('lead@example.com');
      // $200.00 -> $280.00 as the proposal says: Meta's minor units, once.
      expect(sandbox.log.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
        { id: '501', daily_budget: '28000' },
      ]);
      await handle.cancel(); // it would wait an hour for its outcome check
    } finally {
      await warehouse.stop();
      await io.stop();
      await meta.stop();
      await api.close();
      await client.connection.close();
    }
  }, 120_000);
});
