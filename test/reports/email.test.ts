import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReportActivities } from '../../activities/reports';
import { createMailer } from '../../services/mail/transport';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { DeliveryRecord } from '../../activities/reports/report-email';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, testConfig } from '../support/temporal';
import { dataConverter } from '../../workers/data-converter';
import { cachedWorkflowBundle } from '../support/workflow-bundle';
import { verifyApprovalToken } from '../../lib/approvals/tokens';
import { AS_OF, handWarehouse } from './fixtures';
import { APPROVAL_SECRET, EXPIRES, handOperations, PUBLIC_BASE_URL, TZ, WF } from './ops-fixtures';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let smtp: SmtpCapture;
let warehouse: Warehouse;
let reportsDir: string;
let result: Awaited<ReturnType<typeof import('./workflows').reportDeliveryTest>>;
let refusedBeforeRetry: DeliveryRecord[] = [];
let deliveredWhileRefusing: string[] = [];

const recipient = (m: ParsedMail) => (m.to as AddressObject).value[0]!.address!;
const mailTo = (to: string) => {
  const found = smtp.messages.filter((m) => recipient(m) === to);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const deliveries = (): DeliveryRecord[] => {
  const file = join(reportsDir, AS_OF, 'deliveries.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as DeliveryRecord)
    : [];
};

beforeAll(async () => {
  smtp = await startSmtpCapture();
  smtp.refuse.add('tj@example.com');
  reportsDir = mkdtempSync(join(inject('scratchDir'), 'mail-'));
  const config = testConfig({
    SMTP_URL: smtp.url,
    REPORTS_DIR: reportsDir,
    REPORT_RECIPIENTS: 'ben=ben@example.com,tj=tj@example.com',
    REPORT_TEAM_RECIPIENTS: 'lead@example.com',
    APPROVAL_SECRET,
    PUBLIC_BASE_URL,
    TZ,
  });
  warehouse = await handWarehouse();
  await handOperations(warehouse);
  const mailer = createMailer(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: await cachedWorkflowBundle(fileURLToPath(new URL('./workflows.ts', import.meta.url))) },
    activities: createReportActivities({ config, warehouse, mailer }),
    // testClient encrypts what it sends: this worker reads it with the same keys.
    dataConverter: dataConverter(config.PAYLOAD_KEYS ?? []),
  });
  const client = await testClient(config);
  try {
    await worker.runUntil(async () => {
      const handle = await client.workflow.start('reportDeliveryTest', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `report-mail-${config.TEMPORAL_TASK_QUEUE}`,
        args: [AS_OF],
      });
      // tj's server refuses; the others must arrive meanwhile, and the refusal be on record.
      await waitFor(
        () =>
          smtp.messages.length >= 2 && deliveries().some((d) => d.to === 'tj@example.com' && d.status === 'refused'),
        30_000,
        'the other mails and the recorded refusal',
      );
      deliveredWhileRefusing = smtp.messages.map(recipient).sort();
      refusedBeforeRetry = deliveries().filter((d) => d.to === 'tj@example.com');
      smtp.refuse.delete('tj@example.com');
      result = await handle.result();
    });
  } finally {
    mailer.close();
    await client.connection.close();
    await connection.close();
  }
}, 120_000);

afterAll(async () => {
  warehouse?.close();
  await smtp?.close();
});

describe('report emails through a real SMTP server', () => {
  it('sends one email per owner and one to the team; a refused recipient is recorded, retried by Temporal, and stops no one', () => {
    expect(deliveredWhileRefusing).toEqual(['ben@example.com', 'lead@example.com']);
    expect(refusedBeforeRetry[0]).toMatchObject({ owner: 'tj', status: 'refused', attempt: 1, responseCode: 550 });
    expect(result.failed).toEqual([]);
    expect(result.sent).toEqual([
      { to: 'lead@example.com' },
      { owner: 'ben', to: 'ben@example.com' },
      { owner: 'tj', to: 'tj@example.com' },
    ]);
    expect(smtp.messages.map(recipient).sort()).toEqual(['ben@example.com', 'lead@example.com', 'tj@example.com']);
    const tj = deliveries().filter((d) => d.to === 'tj@example.com');
    expect(tj.at(-1)).toMatchObject({ status: 'sent' });
    expect(tj.at(-1)!.attempt).toBeGreaterThan(1);
    expect(tj.slice(0, -1).every((d) => d.status === 'refused')).toBe(true);
    expect(result.pages.map((p) => p.slice(reportsDir.length))).toEqual([
      `/${AS_OF}/team.html`,
      `/${AS_OF}/owner-ben.html`,
      `/${AS_OF}/owner-tj.html`,
    ]);
  });

  it("gives an owner their own campaigns only, with the day's margin in the subject", () => {
    const ben = mailTo('ben@example.com');
    expect(ben.subject).toBe('Daily report · ben · Sun, Oct 12: margin $20.10 ▲ 0.5%');
    expect(ben.html).toContain('DentalImplantTrials_FB_HB_BH');
    expect(ben.html).not.toMatch(/LegalHelp|Pets_FB_New|Solar/);
    expect(ben.text).toContain(
      "On Sun, Oct 12, 2025 ben's 2 campaigns made $20.10 margin, ▲ 0.5% against the 7-day average of $20.00",
    );
    expect(ben.messageId).toMatch(/^<report\.2025-10-13\.owner-ben\.[0-9a-f]{12}@scaleflow>$/);
    const tj = mailTo('tj@example.com');
    expect(tj.html).toContain('LegalHelp_FB_TJ');
    expect(tj.html).not.toContain('DentalImplantTrials');
    expect(mailTo('lead@example.com').subject).toBe('Daily report · Team · Sun, Oct 12: margin $59.90 ▼ 28.9%');
  });

  it('attaches every chart as a PNG that the HTML references by cid, and nothing as SVG', () => {
    for (const [to, charts, owner] of [
      ['lead@example.com', 6, 'team'],
      ['ben@example.com', 5, 'ben'], // ben launched nothing: no launches chart
    ] as const) {
      const mail = mailTo(to);
      const html = String(mail.html);
      expect(html).not.toContain('<svg');
      expect(mail.attachments).toHaveLength(charts);
      expect(mail.attachments.every((a) => /^\d{3}_[a-z_]+\.2025-10-13@scaleflow$/.test(a.cid ?? ''))).toBe(true);
      // mailparser swaps each cid: reference it can resolve for the attachment's data URL, so every
      // attachment showing up inline proves the HTML referenced it by its cid.
      const inline = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]);
      expect(inline).toHaveLength(charts);
      for (const a of mail.attachments) {
        expect(a.contentType).toBe('image/png');
        expect(a.related).toBe(true);
        expect(a.content.subarray(0, 8).equals(PNG)).toBe(true);
        expect(inline).toContain(a.content.toString('base64'));
      }
      expect(html).toContain(owner === 'team' ? 'Daily margin per owner' : 'Margin of the top campaigns');
    }
  });

  it('gives each approver a "Review and approve" link signed for them and that proposal, and no one else a link', async () => {
    // Every email also has its own "View in browser" link (web.test.ts); these are the approve links.
    const approveLinks = (m: ParsedMail) =>
      [...String(m.html).matchAll(/<a href="([^"]+\/approve\/[^"]+)"/g)].map((x) => x[1]!);
    const claims = (m: ParsedMail) =>
      Promise.all(
        approveLinks(m).map((href) =>
          verifyApprovalToken(
            APPROVAL_SECRET,
            href.slice(`${PUBLIC_BASE_URL}/approve/`.length),
            new Date('2025-10-13T12:00:00Z'),
          ),
        ),
      );
    const expiresAt = Date.parse(EXPIRES);
    // The team lead approves both of ben's proposals; ben only his pause; tj none.
    expect(await claims(mailTo('lead@example.com'))).toEqual([
      { workflowId: WF.b1, approver: 'lead@example.com', expiresAt },
      { workflowId: WF.b2, approver: 'lead@example.com', expiresAt },
    ]);
    expect(await claims(mailTo('ben@example.com'))).toEqual([
      { workflowId: WF.b2, approver: 'ben@example.com', expiresAt },
    ]);
    expect(approveLinks(mailTo('tj@example.com'))).toEqual([]);
    expect(mailTo('tj@example.com').text).not.toContain('/approve/');
    expect(String(mailTo('ben@example.com').html)).toContain('Review and approve');
    expect(mailTo('ben@example.com').text).toContain(
      `Review and approve Roofing_FB_Loser: Pause (until Tue, Oct 14, 06:00): ${approveLinks(mailTo('ben@example.com'))[0]}`,
    );
    // The page the emails were built from is shared by all of them: it has none.
    expect(readFileSync(join(reportsDir, AS_OF, 'team.html'), 'utf8')).not.toContain('/approve/');
  });

  it('carries a plain-text part with every cell', () => {
    const text = mailTo('lead@example.com').text!;
    for (const title of [
      'Yesterday at a glance',
      'Margin trend, last 30 days',
      'Top performers yesterday',
      'Losing money yesterday',
      'Launches this week',
      'Pacing today',
      'Alerts and approvals',
      'Anomalies yesterday',
      'Outcome checks and recommendation accuracy',
      'Data freshness',
      'Data quality',
    ]) {
      expect(text).toContain(`== ${title} ==`);
    }
    expect(text).toContain('Margin: $59.90 (▼ 28.9% vs 7-day avg $84.27)');
    expect(text).toContain('Solar<b>Promo</b> & "Co" | tj | Wed, Oct 8 | $100.00'); // names as they are, unescaped
    expect(text).not.toMatch(/<(div|table|tr|td|p|img|span|section)\b/);
  });
});
