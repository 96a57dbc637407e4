import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { workflowIds } from '../../lib/names';
import { SMTP_MAX_CONNECTIONS } from '../../services/mail/transport';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';
import { approvalConfig, proposal } from './harness';

const to = (m: { to?: unknown }) => (m.to as { text: string }).text;

describe('approval emails over a pooled SMTP transport', () => {
  let smtp: SmtpCapture;
  let client: Client;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await client?.connection.close();
    await smtp.close();
  });

  it('sends a burst of proposals over a few reused connections, loses no mail, and closes them when the worker stops', async () => {
    const config = await approvalConfig(smtp);
    client = await testClient(config);
    const proposals = Array.from({ length: 12 }, (_, i) => proposal({ campaignId: `pool-${i}` }));
    const ids = proposals.map((p) => workflowIds.budgetChange(p.campaignId, p.date, p.type));
    await withWorker(config, async () => {
      await Promise.all(
        proposals.map((p, i) =>
          client.workflow.start('budgetChange', {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            workflowId: ids[i]!,
            args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 1000, dryRun: false } }],
          }),
        ),
      );
      // 12 proposals, all ben's, and ben's policy names 2 approvers: 12 x 2 = 24 emails, one per
      // (approver, campaign), each parsed back by the server.
      const mails = await waitFor(
        () => {
          const mine = smtp.messages.filter((m) => m.subject?.startsWith('Approve:'));
          return mine.length >= 24 && mine;
        },
        45_000,
        '24 approval emails',
      );
      const expected = proposals.flatMap((p) =>
        ['ben.lead@example.com', 'lead@example.com'].map((a) => `${a} ${p.campaignId}`),
      );
      const got = mails.map((m) => `${to(m)} ${/\((pool-\d+), ben,/.exec(m.text ?? '')?.[1] ?? m.subject}`);
      expect(got.sort()).toEqual(expected.sort());
      // One connection per message would be 24; the pool reuses at most SMTP_MAX_CONNECTIONS (3).
      expect(smtp.connections.total).toBeGreaterThan(0);
      expect(smtp.connections.total).toBeLessThanOrEqual(SMTP_MAX_CONNECTIONS);
      // The pool keeps them open between messages.
      expect(smtp.connections.open).toBeGreaterThan(0);
      for (const id of ids) await client.workflow.getHandle(id).terminate('test over');
    });
    // Stopping the worker closes the pool (the server would otherwise hold them until its idle timeout).
    await waitFor(() => smtp.connections.open === 0, 10_000, 'the pooled SMTP connections closed');
  });
});
