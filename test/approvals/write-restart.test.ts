import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { parseConfig } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { freePort } from '../../scripts/temporal.mjs';
import { faults, on } from '../../workers/meta-sandbox/faults';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { spawnWorker, waitFor } from '../support/processes';
import { startSmtpCapture } from '../support/smtp';
import { testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { APPROVAL_SECRET, linkIn, postDecision, proposal } from './harness';

describe('budgetChange when the worker dies between the approval and the write', () => {
  it('writes exactly once after a restart, having read Meta before writing again', async () => {
    const smtp = await startSmtpCapture();
    const sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_W', dailyBudget: 20000 }, '501');
    // Meta applies the write at once, but its answer takes 6 s: the worker is gone before it arrives.
    sandbox.faults.add(on.post(/^\/501$/), faults.slowAnswer(6000));

    const port = await freePort();
    const base = testConfig();
    const approvers = join(inject('scratchDir'), `approvers-restart-${port}.json`);
    writeFileSync(approvers, JSON.stringify({ default: ['lead@example.com'] }));
    const env = workerProcessEnv(base, {
      HTTP_PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      APPROVAL_SECRET,
      APPROVERS_FILE: approvers,
      SMTP_URL: smtp.url,
      ...metaEnv(sandbox, ['act_1001']),
    });
    const config = parseConfig(env);
    const client = await testClient(config);
    const p = proposal({ campaignId: 'restart-w', metaCampaignId: '501', accountId: 'act_1001' });
    const workflowId = `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${config.TEMPORAL_TASK_QUEUE}`;

    const first = spawnWorker(env);
    try {
      const handle = await client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
      });
      const mail = await waitFor(
        () => smtp.messages.find((m) => m.text?.includes('restart-w')),
        30_000,
        'the approval email',
      );
      expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);
      // The write reached Meta (and landed); now the worker goes down before Meta's answer.
      await waitFor(() => sandbox.log.some((r) => r.method === 'POST'), 20_000, 'the budget write to reach Meta');
      expect(sandbox.state.campaign('501')!.dailyBudget).toBe(28000);
      first.child.kill('SIGTERM');
      expect(await first.exited, first.output()).toBe(0);

      const second = spawnWorker(env);
      let status: BudgetChangeStatus;
      try {
        status = await waitFor(
          async () => {
            const s = (await handle.query('status')) as BudgetChangeStatus;
            return s.state === 'written' && s;
          },
          60_000,
          'the write to be confirmed by the restarted worker',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      expect(status.detail).toContain("an earlier attempt's write landed; nothing was sent again");
      // One POST in all: the retry read 280.00 on Meta and sent nothing.
      expect(sandbox.log.filter((r) => r.method === 'POST').map((r) => [r.path, r.body.daily_budget])).toEqual([
        ['/501', '28000'],
      ]);
      await handle.terminate('test done: the outcome check is an hour away');
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      await client.connection.close();
      await sandbox.close();
      await smtp.close();
    }

    const warehouse = await Warehouse.open(config.SCALEFLOW_DB, { readOnly: true });
    const events = await warehouse.all<{ event: string }>(
      'SELECT event FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
      [workflowId],
    );
    warehouse.close();
    expect(events.map((e) => e.event)).toEqual(['proposed', 'approval_requested', 'decided', 'written']);
  });
});
