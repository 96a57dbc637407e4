import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { BudgetChangeStatus, Proposal } from '../../lib/approvals/proposal';
import { signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { metaEnv } from '../meta/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { APPROVAL_SECRET, approvalConfig, proposal } from './harness';

/**
 * The approval pages as a reverse proxy would pass them on (issue 16 items 6 and 7), on two real
 * workers: one with TRUSTED_PROXIES unset (every request's socket peer is 127.0.0.1, as every
 * client looks behind a proxy nobody told scaleflow about), one trusting 127.0.0.1/32 (the proxy).
 * Both allow RATE_LIMIT_PER_MINUTE = 5.
 */
const LIMIT = 5;
type Worker = Awaited<ReturnType<typeof startWorker>>;
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request as a proxy (or a client) sends it: node:http, so the source address can be chosen too. */
function send(
  url: string,
  options: { decision?: 'approve' | 'reject'; forwardedFor?: string; from?: string } = {},
): Promise<Answer> {
  const body = options.decision ? new URLSearchParams({ decision: options.decision }).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: body ? 'POST' : 'GET',
        localAddress: options.from,
        headers: {
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('approval pages behind a reverse proxy', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let client: Client;
  let plain: { config: Config; worker: Worker };
  let proxied: { config: Config; worker: Worker };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_Proxy', dailyBudget: 20000 }, '501');
    const plainConfig = await approvalConfig(smtp, { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    const proxiedConfig = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      TRUSTED_PROXIES: '127.0.0.1/32',
    });
    client = await testClient(plainConfig);
    const [a, b] = await Promise.all([startWorker(plainConfig), startWorker(proxiedConfig)]);
    plain = { config: plainConfig, worker: a };
    proxied = { config: proxiedConfig, worker: b };
  });
  afterAll(async () => {
    await Promise.all([plain?.worker.stop(), proxied?.worker.stop()]);
    await client?.connection.close();
    await sandbox?.close();
    await smtp?.close();
  });

  /** A budget change awaiting approval on that worker, and the lead's link to it (signed as the email's is). */
  async function awaiting(on: { config: Config }, p: Proposal) {
    const handle = await client.workflow.start('budgetChange', {
      taskQueue: on.config.TEMPORAL_TASK_QUEUE,
      // Budget-change ids are namespace-wide: the queue keeps this file's runs apart from others'.
      workflowId: `${workflowIds.budgetChange(p.campaignId, p.date, p.type)}-${on.config.TEMPORAL_TASK_QUEUE}`,
      args: [{ proposal: p, settings: { approvalTimeoutMs: 600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
    });
    await waitFor(
      async () => (await handle.query(statusQuery)).state === 'awaiting_approval',
      20_000,
      'awaiting approval',
    );
    const token = await signApprovalToken(APPROVAL_SECRET, {
      workflowId: handle.workflowId,
      approver: 'lead@example.com',
      expiresAt: Date.now() + 600_000,
    });
    return { handle, link: `${on.config.PUBLIC_BASE_URL}/approve/${token}` };
  }

  async function auditIp(on: { worker: Worker }, workflowId: string): Promise<string | null> {
    const rows = await on.worker.main.warehouse.all<{ actor_ip: string | null }>(
      `SELECT actor_ip FROM audit_log WHERE workflow_id = $1 AND event = 'decided'`,
      [workflowId],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.actor_ip;
  }

  const garbage = (on: { config: Config }, n: number) => `${on.config.PUBLIC_BASE_URL}/approve/not-a-token-${n}`;

  it('without TRUSTED_PROXIES, a forged X-Forwarded-For is ignored: the audit has the socket address; after Reject the buttons are gone', async () => {
    const { handle, link } = await awaiting(plain, proposal({ campaignId: 'proxy-forged' }));
    const answer = await send(link, { decision: 'reject', forwardedFor: '1.2.3.4' });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Rejected by lead@example.com');
    // The answer to the click is the page after the decision: nothing left to press.
    expect(answer.body).not.toContain('value="approve"');
    expect(answer.body).not.toContain('value="reject"');
    expect(((await handle.result()) as BudgetChangeStatus).decision?.ip).toBe('127.0.0.1');
    expect(await auditIp(plain, handle.workflowId)).toBe('127.0.0.1');
    // Opened again later: still no buttons.
    expect((await send(link)).body).not.toContain('value="approve"');
  });

  it('sends CSP frame-ancestors none, nosniff and no-referrer as headers, and answers broken %-encoding with 400', async () => {
    const { handle, link } = await awaiting(plain, proposal({ campaignId: 'proxy-headers' }));
    const page = await send(link);
    const bad = await send(garbage(plain, 0));
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="approve"');
    expect(bad.status).toBe(403);
    for (const answer of [page, bad]) {
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      // The buttons post back to the page itself, and nowhere else.
      expect(answer.headers['content-security-policy']).toContain("form-action 'self'");
      expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    // %E0%A4%A: a 3-byte UTF-8 sequence cut short. Unauthenticated, and the caller's mistake.
    const broken = await send(`${plain.config.PUBLIC_BASE_URL}/approve/%E0%A4%A`);
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ error: 'invalid_request', field: 'token' });
    await handle.cancel();
  });

  it('without TRUSTED_PROXIES, garbage from the one shared address does not block a valid link, which is limited by its own count', async () => {
    const { handle, link } = await awaiting(plain, proposal({ campaignId: 'proxy-flood-plain' }));
    // LIMIT + 1 bad tokens in a minute from 127.0.0.1: the last is refused whatever came before.
    let last: Answer | undefined;
    for (let i = 1; i <= LIMIT + 1; i++) last = await send(garbage(plain, i));
    expect(last!.status).toBe(429);
    // The link's own bucket: 4 GETs and the Reject are its 5 = LIMIT requests this minute,
    // all answered while garbage from the same address keeps being refused.
    for (let i = 1; i <= 4; i++) {
      expect((await send(link)).status).toBe(200);
      expect((await send(garbage(plain, 100 + i))).status).toBe(429);
    }
    const rejected = await send(link, { decision: 'reject' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toContain('Rejected by lead@example.com');
    expect(((await handle.result()) as BudgetChangeStatus).state).toBe('rejected');
    // The 6th request on the link in the minute is over its own limit.
    expect((await send(link)).status).toBe(429);
  });

  it('with 127.0.0.1/32 trusted, the right-most untrusted X-Forwarded-For hop is the client, in the audit when approving; after Approve the buttons are gone', async () => {
    const { handle, link } = await awaiting(
      proxied,
      proposal({ campaignId: 'proxy-approve', metaCampaignId: '501', accountId: 'act_1001' }),
    );
    // "1.2.3.4" is what the client claimed; 5.6.7.8 is what the proxy at 127.0.0.1 saw and appended.
    const answer = await send(link, { decision: 'approve', forwardedFor: '1.2.3.4, 5.6.7.8' });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('lead@example.com');
    expect(answer.body).not.toContain('value="approve"');
    expect(answer.body).not.toContain('value="reject"');
    await waitFor(async () => (await handle.query(statusQuery)).state === 'written', 20_000, 'the budget write');
    expect((await handle.query(statusQuery)).decision?.ip).toBe('5.6.7.8');
    expect(await auditIp(proxied, handle.workflowId)).toBe('5.6.7.8');
    expect(sandbox.state.campaign('501')!.dailyBudget).toBe(28000);
  });

  it('with 127.0.0.1/32 trusted, a flood of bad tokens from one client does not stop another client behind the same proxy', async () => {
    const { handle, link } = await awaiting(proxied, proposal({ campaignId: 'proxy-flood' }));
    let last: Answer | undefined;
    for (let i = 1; i <= LIMIT + 1; i++) last = await send(garbage(proxied, i), { forwardedFor: '5.6.7.8' });
    expect(last!.status).toBe(429);
    // The other client's link works, while the flooding client's garbage is still refused.
    expect((await send(link, { forwardedFor: '9.9.9.9' })).status).toBe(200);
    expect((await send(garbage(proxied, 100), { forwardedFor: '5.6.7.8' })).status).toBe(429);
    // The other client's own mistakes count against it alone.
    expect((await send(garbage(proxied, 101), { forwardedFor: '9.9.9.9' })).status).toBe(403);
    const rejected = await send(link, { decision: 'reject', forwardedFor: '9.9.9.9' });
    expect(rejected.status).toBe(200);
    await handle.result();
    expect(await auditIp(proxied, handle.workflowId)).toBe('9.9.9.9');
  });

  it('with 127.0.0.1/32 trusted, a peer that is not the proxy cannot choose its address by X-Forwarded-For', async () => {
    // 127.0.0.2 reaches the worker directly: its header is its own say, so rotating it buys nothing.
    let last: Answer | undefined;
    for (let i = 1; i <= LIMIT + 1; i++)
      last = await send(garbage(proxied, 200 + i), { from: '127.0.0.2', forwardedFor: `10.0.0.${i}` });
    expect(last!.status).toBe(429);
    const { handle, link } = await awaiting(proxied, proposal({ campaignId: 'proxy-direct' }));
    expect((await send(link, { decision: 'reject', from: '127.0.0.2', forwardedFor: '1.2.3.4' })).status).toBe(200);
    await handle.result();
    expect(await auditIp(proxied, handle.workflowId)).toBe('127.0.0.2');
  });
});
