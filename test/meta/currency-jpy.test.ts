import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus, Proposal } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { createMailer } from '../../services/mail/transport';
import { buildReportEmail } from '../../services/reports/engine';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import { approvalConfig, linkIn, postDecision, proposal } from '../approvals/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { testClient, withWorker } from '../support/temporal';
import { metaEnv, sandboxAt } from './harness';

/**
 * A Tokyo account in yen beside a dollar account and a euro one, from Meta to the report (issue 22
 * item 3). 2025-10-13T20:00Z is 16:00 in New York (the team's clock, TZ) and 05:00 on the 14th in
 * Tokyo. Meta's JPY has no minor unit (offset 1): a wire budget of 20000 is ¥20,000, where USD's
 * 20000 is $200.00. DAILY_BUDGET_LIMITS gives yen ¥150..¥1,500,000; EUR is not listed.
 *   8100 (JPY) ¥20,000 -> ¥30,000: +50% (the MAX_CHANGE_PCT limit), under ¥1,500,000 -> written as "30000".
 *     Read as dollars it would be $30,000, over MAX_DAILY_BUDGET_USD's $10,000: refused before.
 *   8101 (JPY) ¥1,200,000 -> ¥1,600,000: +33.3%, over ¥1,500,000 -> refused, nothing written.
 *   8300 (EUR) €100 -> €120: EUR has no limits -> refused, never compared with the dollar bounds.
 *   8200 (USD) $200.00, untouched: the report shows it as before.
 */
const HOUR = '2025-10-13T20:00:00Z';
const NEXT_HOUR = '2025-10-13T21:00:00Z';
const AS_OF = '2025-10-13';
const TZ = 'America/New_York';

let sandbox: MetaSandbox;
let clock: { ms: number };
let smtp: SmtpCapture;
let client: Client;
let config: Config;
const finals = new Map<string, BudgetChangeStatus>();
let reportHtml = '';
let reportText = '';
let approvalSubject = '';

const change = (
  campaignId: string,
  metaCampaignId: string,
  accountId: string,
  currency: string,
  from: number,
  to: number,
) =>
  proposal({
    campaignId,
    campaignName: campaignId,
    metaCampaignId,
    accountId,
    owner: 'aya',
    date: AS_OF,
    currency,
    action: { kind: 'set_daily_budget', fromCents: from * 100, toCents: to * 100 },
  });

beforeAll(async () => {
  ({ sandbox, clock } = await sandboxAt(HOUR));
  smtp = await startSmtpCapture();
  sandbox.state.addAccount('act_81', { currency: 'JPY', timezone: 'Asia/Tokyo' });
  sandbox.state.addAccount('act_82', { currency: 'USD', timezone: 'America/Los_Angeles' });
  sandbox.state.addAccount('act_83', { currency: 'EUR', timezone: 'Europe/Berlin' });
  sandbox.state.addCampaign('act_81', { name: 'Tokyo_A', dailyBudget: 20000 }, '8100');
  sandbox.state.addCampaign('act_81', { name: 'Tokyo_B', dailyBudget: 1_200_000 }, '8101');
  sandbox.state.addCampaign('act_82', { name: 'LA_W', dailyBudget: 20000 }, '8200');
  sandbox.state.addCampaign('act_83', { name: 'Berlin_E', dailyBudget: 10000 }, '8300');
  config = await approvalConfig(
    smtp,
    metaEnv(sandbox, ['act_81', 'act_82', 'act_83'], {
      TZ,
      DAILY_BUDGET_LIMITS: '{"JPY": {"min": 150, "max": 1500000}}',
      REPORTS_DIR: mkdtempSync(join(inject('scratchDir'), 'currency-')),
    }),
  );
  client = await testClient(config);
  const q = config.TEMPORAL_TASK_QUEUE;
  const sync = (hour: string) =>
    client.workflow.execute('spendSync', {
      taskQueue: q,
      workflowId: `${workflowIds.spendSync(hour)}/${q}`,
      args: [{ hour }],
    });
  await withWorker(config, async (main) => {
    await sync(HOUR);
    const proposals: Proposal[] = [
      change('tokyo-a', '8100', 'act_81', 'JPY', 20_000, 30_000),
      change('tokyo-b', '8101', 'act_81', 'JPY', 1_200_000, 1_600_000),
      change('berlin-e', '8300', 'act_83', 'EUR', 100, 120),
    ];
    const handles = await Promise.all(
      proposals.map((p) =>
        client.workflow.start('budgetChange', {
          taskQueue: q,
          workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${q}`,
          args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
        }),
      ),
    );
    // Each approved through its emailed link, as a person would.
    for (const p of proposals) {
      const mail = await waitFor(
        () => smtp.messages.find((m) => m.text?.includes(p.campaignId)),
        30_000,
        `the approval email for ${p.campaignId}`,
      );
      if (p.campaignId === 'tokyo-a') approvalSubject = mail.subject ?? '';
      expect((await postDecision(linkIn(mail.text), 'approve')).status).toBe(200);
    }
    for (const [i, handle] of handles.entries()) {
      const id = proposals[i]!.campaignId;
      finals.set(
        id,
        await waitFor(
          async () => {
            const status = (await handle.query('status')) as BudgetChangeStatus;
            return ['written', 'refused', 'write_failed'].includes(status.state) ? status : undefined;
          },
          30_000,
          `${id} decided`,
        ),
      );
      // A refused run ends by itself; the written one would wait an hour for its outcome check.
      if (finals.get(id)!.state === 'written') await handle.cancel();
      else await handle.result();
    }
    // The next hour's sync sees the budget the approval wrote; the team report is made from it.
    clock.ms = Date.parse(NEXT_HOUR);
    await sync(NEXT_HOUR);
    const email = await buildReportEmail({
      warehouse: main.warehouse,
      reportsDir: config.REPORTS_DIR,
      asOf: AS_OF,
      timeZone: TZ,
    });
    // Through real SMTP and parsed back, as the team reads it.
    const mailer = createMailer(config);
    try {
      await mailer.send({ to: 'team@example.com', subject: email.subject, html: email.html, text: email.text });
    } finally {
      mailer.close();
    }
    const received = await waitFor(
      () => smtp.messages.find((m) => (m.to as AddressObject).text === 'team@example.com'),
      20_000,
      'the report email',
    );
    reportHtml = typeof received.html === 'string' ? received.html : '';
    reportText = received.text ?? '';
  });
}, 240_000);

afterAll(async () => {
  await client?.connection.close();
  await smtp?.close();
  await sandbox?.close();
});

describe('a JPY account from Meta to the report', () => {
  it('asks for approval in yen', () => {
    expect(approvalSubject).toContain('daily budget ¥20,000 -> ¥30,000');
  });

  it('writes ¥30,000 as "30000" (yen have no minor unit), under the yen limit', () => {
    expect(finals.get('tokyo-a')!.state).toBe('written');
    expect(sandbox.log.filter((r) => r.method === 'POST').map((r) => [r.path, r.body.daily_budget])).toEqual([
      ['/8100', '30000'],
    ]);
    expect(sandbox.state.campaign('8100')!.dailyBudget).toBe(30000);
  });

  it('refuses ¥1,600,000 against the ¥1,500,000 limit, and EUR with no limits, writing nothing', () => {
    expect(finals.get('tokyo-b')).toMatchObject({ state: 'refused' });
    expect(finals.get('tokyo-b')!.detail).toContain('the new budget ¥1,600,000 is over the maximum of ¥1,500,000');
    expect(finals.get('berlin-e')).toMatchObject({ state: 'refused' });
    expect(finals.get('berlin-e')!.detail).toContain('no daily budget limits for EUR: add EUR to DAILY_BUDGET_LIMITS');
    expect(sandbox.state.campaign('8101')!.dailyBudget).toBe(1_200_000);
    expect(sandbox.state.campaign('8300')!.dailyBudget).toBe(10000);
  });

  it("shows yen with no decimals in the report email, and the dollar account's money as before", () => {
    // The pacing table, each row in its account's currency: nothing spent yet of ¥30,000 (the
    // written budget), ¥1,200,000, $200.00 and €100.00.
    const html = reportHtml
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ');
    // The text part's table cells are separated by " | ".
    for (const part of [html, reportText.replace(/\s*\|\s*/g, ' ').replace(/\s+/g, ' ')]) {
      expect(part).toContain('Tokyo_A under pace ¥0 ¥30,000 0.0%');
      expect(part).toContain('Tokyo_B under pace ¥0 ¥1,200,000 0.0%');
      expect(part).toContain('LA_W under pace $0.00 $200.00 0.0%');
      expect(part).toContain('Berlin_E under pace €0.00 €100.00 0.0%');
      expect(part).not.toMatch(/¥[\d,]+\.\d/);
    }
  });
});
