import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { signApprovalToken } from '../../lib/approvals/tokens';
import { searchAttributes, workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import type { Config } from '../../lib/config';
import type { MainWorker } from '../../workers/worker';
import { startWorker, testClient } from '../support/temporal';
import { APPROVAL_SECRET, approvalConfig, linkIn, postDecision, proposal } from './harness';

describe('budgetChange: decisions that write nothing', () => {
  let smtp: SmtpCapture;
  let client: Client;
  let config: Config;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  /** The file's tests share one worker (each on its own campaign), as proposals share one in production. */
  const withWorker = <T>(fn: (main: MainWorker) => Promise<T>): Promise<T> => fn(worker.main);
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    config = await approvalConfig(smtp);
    client = await testClient(config);
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp.close();
    await client?.connection.close();
  });

  it('emails each approver a link; GET shows the proposal without deciding; reject ends it; a second click shows who decided', async () => {
    const p = proposal({ campaignId: 'reject-me' });
    const workflowId = workflowIds.budgetChange(p.campaignId, p.date, p.type);
    await withWorker(async (main) => {
      const handle = await client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 1000, dryRun: false } }],
      });
      // ben's changes go to both of ben's approvers, one email each.
      const mails = await waitFor(
        () => {
          const mine = smtp.messages.filter(
            (m) => m.subject?.includes('reject-me') || m.subject?.includes('DentalImplantTrials'),
          );
          return mine.length === 2 && mine;
        },
        20_000,
        'two approval emails',
      );
      const to = mails.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text).sort();
      expect(to).toEqual(['ben.lead@example.com', 'lead@example.com']);
      expect(mails[0]!.subject).toBe('Approve: daily budget $200.00 -> $280.00 for DentalImplantTrials_FB_HB_BH (ben)');
      expect(mails[0]!.html).toContain('Review and decide');

      const leadMail = mails.find((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text === 'lead@example.com')!;
      const link = linkIn(leadMail.text);
      expect(link.startsWith(`${config.PUBLIC_BASE_URL}/approve/`)).toBe(true);

      const page = await fetch(link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Daily budget $200.00 USD → $280.00 USD');
      expect(html).toContain('value="approve"');
      expect((await handle.query(statusQuery)).state).toBe('awaiting_approval');

      const rejected = await postDecision(link, 'reject');
      expect(rejected.status).toBe(200);
      expect(await rejected.text()).toContain('Rejected by lead@example.com');
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('rejected');
      expect(final.decision).toMatchObject({ decision: 'reject', approver: 'lead@example.com', ip: '127.0.0.1' });

      const again = await postDecision(link, 'approve');
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('Rejected by lead@example.com');

      const events = await main.warehouse.all<{ event: string; actor: string | null }>(
        'SELECT event, actor FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
        [workflowId],
      );
      expect(events).toEqual([
        { event: 'proposed', actor: null },
        { event: 'approval_requested', actor: null },
        { event: 'decided', actor: 'lead@example.com' },
      ]);
    });
  });

  it('expires without a decision, and the link then answers 410', async () => {
    const p = proposal({ campaignId: 'let-it-expire' });
    await withWorker(async () => {
      const handle = await client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: workflowIds.budgetChange(p.campaignId, p.date, p.type),
        args: [{ proposal: p, settings: { approvalTimeoutMs: 1500, outcomeDelayMs: 1000, dryRun: false } }],
      });
      const final = (await handle.result()) as BudgetChangeStatus;
      expect(final.state).toBe('expired');
      expect(final.decision).toBeUndefined();
      const mail = smtp.messages.find(
        (m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text === 'lead@example.com' && m.text?.includes('let-it-expire'),
      )!;
      const res = await postDecision(linkIn(mail.text), 'approve');
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('This link has expired');
    });
  });

  it('answers a tampered link with 403 and a link for someone who is not an approver with 403; a cancel by ops is recorded', async () => {
    const p = proposal({ campaignId: 'tamper', owner: 'tj' });
    const workflowId = workflowIds.budgetChange(p.campaignId, p.date, p.type);
    await withWorker(async (main) => {
      const handle = await client.workflow.start('budgetChange', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 1000, dryRun: false } }],
      });
      const mail = await waitFor(
        () => smtp.messages.find((m) => m.text?.includes('tamper')),
        20_000,
        'the approval email',
      );
      const link = linkIn(mail.text);
      // Change the signature's first character: its last one may carry only padding bits, and a
      // flip there (A -> B) can decode to the same signature.
      const at = link.lastIndexOf('.') + 1;
      const tampered = await postDecision(
        `${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`,
        'approve',
      );
      expect(tampered.status).toBe(403);
      const body = await tampered.text();
      expect(body).toContain('This link is not valid');
      expect(body).not.toMatch(/\bat .*\.ts:\d+/);

      const stranger = await signApprovalToken(APPROVAL_SECRET, {
        workflowId,
        approver: 'intruder@example.com',
        expiresAt: Date.now() + 60_000,
      });
      const foreign = await postDecision(`${config.PUBLIC_BASE_URL}/approve/${stranger}`, 'approve');
      expect(foreign.status).toBe(403);
      expect(await foreign.text()).toContain('This link is for another approver');

      // Neither attempt decided anything.
      expect((await handle.query(statusQuery)).state).toBe('awaiting_approval');

      // Ops cancel it from the Web UI: the run ends cancelled, and says so everywhere.
      await handle.cancel();
      const ended = await handle.result().catch((e: unknown) => e);
      expect(ended).toBeInstanceOf(WorkflowFailedError);
      expect((ended as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await handle.query(statusQuery)).state).toBe('cancelled');
      const events = await main.warehouse.all<{ event: string }>(
        'SELECT event FROM audit_log WHERE workflow_id = $1 ORDER BY seq',
        [workflowId],
      );
      expect(events.map((e) => e.event)).toEqual(['proposed', 'approval_requested', 'cancelled']);
      const attributes = (await handle.describe()).typedSearchAttributes;
      expect(
        [searchAttributes.owner, searchAttributes.campaign, searchAttributes.changeType, searchAttributes.state].map(
          (k) => attributes.get(k),
        ),
      ).toEqual(['tj', 'tamper', p.type, 'cancelled']);
      // Ops find it in the Web UI's list by the same keys.
      const found = await waitFor(
        async () =>
          (
            await client.workflow.count(
              `ScaleflowOwner = 'tj' AND ScaleflowCampaign = 'tamper' AND ScaleflowState = 'cancelled'`,
            )
          ).count === 1 || undefined,
        10_000,
        'the run listed as cancelled',
      );
      expect(found).toBe(true);
      const late = await postDecision(link, 'approve');
      expect(late.status).toBe(409);
      expect(await late.text()).toContain('cancelled by operations');
      await recordHistory(handle, 'budget-change-cancelled');
    });
  });
});
