import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { datesBetween } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { statusQuery } from '../../workflows/budget-change';
import { signApiToken } from '../../workers/http/jwt';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import { findTemporalCli } from '../../scripts/temporal.mjs';
import { approvalConfig, linkIn } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { loadRows, type MetricRow } from '../reports/fixtures';
import { recordHistory } from '../support/histories';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';

const run = promisify(execFile);

/**
 * The attack as found: Temporal keeps every run's history and ops export it (`temporal workflow
 * show -o json`); the approver's email, IP and browser were in it in clear. One day, one campaign
 * (PII_W, ben, $100 a day at ROAS 150% for a week, its budget $100 -> scale_up, sized to one 20% step: $100
 * -> $120), approved through the real link.
 */
const AS_OF = '2025-09-23';
const APPROVER = 'codec.probe.approver@example.com';
const USER_AGENT = 'CodecProbeBrowser/7.3 (histories-must-not-show-this)';
const JWT_SECRET = 'codec-test-jwt-secret-codec-test-jwt-secret';
const UI_ORIGIN = 'http://127.0.0.1:18233';
const rows: MetricRow[] = datesBetween('2025-09-16', '2025-09-22').map((date) => ({
  date,
  campaign_id: 'PII_W',
  campaign_name: 'Dental_PII_W',
  owner: 'ben',
  category: 'Dental',
  spend: '100.00',
  revenue: '150.00',
}));

/** Every payload object ({metadata, data}) anywhere in an exported history. */
function payloadsIn(value: unknown, found: { metadata: Record<string, string>; data: string }[] = []) {
  if (Array.isArray(value)) for (const v of value) payloadsIn(v, found);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && typeof o.data === 'string') found.push(o as never);
    else for (const v of Object.values(o)) payloadsIn(v, found);
  }
  return found;
}

describe('personal data out of Temporal histories', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let config: Config;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let codecUrl: string;
  const token = (role: 'manager' | 'approver' | 'buyer') =>
    signApiToken(JWT_SECRET, { sub: `${role}@example.com`, role, ...(role === 'buyer' ? { owner: 'ben' } : {}) });
  const temporal = (args: string[]) =>
    run(findTemporalCli()!, [...args, '--address', config.TEMPORAL_ADDRESS], { maxBuffer: 64 * 1024 * 1024 });

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    sandbox.state.addCampaign('act_1001', { name: 'Dental_PII_W', dailyBudget: 10000 }, '501');
    const approvers = join(inject('scratchDir'), `approvers-codec-${process.pid}.json`);
    writeFileSync(
      approvers,
      JSON.stringify({
        default: [APPROVER],
        owners: { ben: [APPROVER] },
        managers: [APPROVER],
        manager_above_usd: 500,
      }),
    );
    config = await approvalConfig(smtp, {
      ...metaEnv(sandbox, ['act_1001']),
      APPROVERS_FILE: approvers,
      OUTCOME_DELAY: '1s',
      JWT_SECRET,
      TEMPORAL_UI_URL: `${UI_ORIGIN}/`,
    });
    const seed = await Warehouse.open(config.SCALEFLOW_DB);
    await loadRows(seed, rows);
    await seed.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id) VALUES ('PII_W', '501', 'ben', 'Dental', 'act_1001')`,
    );
    seed.close();
    client = await testClient(config);
    worker = await startWorker(config);
    codecUrl = `${worker.main.http!.url}/codec`;
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await sandbox?.close();
    await smtp?.close();
  });

  it("a day's exported histories hold no approver email, IP or browser; the codec endpoint shows them to a manager", async () => {
    const budgetChangeId = workflowIds.budgetChange('PII_W', AS_OF, 'scale_up');
    await client.workflow.execute('dailyPipeline', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ date: AS_OF }],
    });
    const mail = await waitFor(
      () => smtp.messages.find((m) => m.subject?.startsWith('Approve:') && m.subject.includes('Dental_PII_W')),
      20_000,
      'the approval email',
    );
    const approved = await fetch(linkIn(mail.text), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': USER_AGENT },
      body: 'decision=approve',
    });
    expect(approved.status).toBe(200);
    const handle = client.workflow.getHandle(budgetChangeId);
    // Written to Meta; the outcome check then waits for a week of numbers that this day never gets.
    const final = await waitFor(
      async () => {
        const status = (await handle.query(statusQuery)) as BudgetChangeStatus;
        return status.state === 'written' && status;
      },
      30_000,
      'the budget write',
    );
    // What the audit records (the socket's address on loopback) is what must not be in the histories.
    expect(final.decision).toMatchObject({
      decision: 'approve',
      approver: APPROVER,
      ip: '127.0.0.1',
      userAgent: USER_AGENT,
    });
    const ip = final.decision!.ip;
    await recordHistory(handle, 'budget-change-approved-encrypted');

    // The day's runs, exported as ops export them.
    const listed = JSON.parse(
      (await temporal(['workflow', 'list', '--query', `TaskQueue = '${config.TEMPORAL_TASK_QUEUE}'`, '-o', 'json']))
        .stdout,
    ) as { execution: { workflowId: string } }[];
    const ids = listed.map((w) => w.execution.workflowId).sort();
    expect(ids).toEqual([`${workflowIds.daily(AS_OF)}-${config.TEMPORAL_TASK_QUEUE}`, budgetChangeId].sort());
    const exported = await Promise.all(
      ids.map(async (id) => (await temporal(['workflow', 'show', '-w', id, '-o', 'json'])).stdout),
    );
    for (const [i, history] of exported.entries()) {
      // JSON output shows each payload's bytes in base64, which anyone holding the file decodes:
      // the grep runs over the file and every payload decoded.
      const readable = [
        history,
        ...payloadsIn(JSON.parse(history)).map((p) => Buffer.from(p.data, 'base64').toString('utf8')),
      ].join('\n');
      expect(readable, ids[i]).not.toContain(APPROVER);
      expect(readable, ids[i]).not.toContain(USER_AGENT);
      expect(readable, ids[i]).not.toContain(ip);
      // Not merely absent: every payload is there, encrypted ("binary/encrypted" in base64).
      expect(history, ids[i]).toContain(Buffer.from('binary/encrypted').toString('base64'));
    }

    // The data is there, encrypted: decoded through /codec/decode, it shows. First as the Temporal
    // CLI (like the Web UI) calls the endpoint, with a manager's token...
    const manager = await token('manager');
    const decodedByCli = (
      await temporal([
        'workflow',
        'show',
        '-w',
        budgetChangeId,
        '-o',
        'json',
        '--codec-endpoint',
        codecUrl,
        '--codec-auth',
        `Bearer ${manager}`,
      ])
    ).stdout;
    const shownByCli = payloadsIn(JSON.parse(decodedByCli))
      .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
      .join('\n');
    for (const secret of [APPROVER, USER_AGENT, ip]) expect(shownByCli).toContain(secret);

    // ...then the exported file's payloads posted as the Web UI posts them.
    const payloads = payloadsIn(JSON.parse(exported[ids.indexOf(budgetChangeId)]!));
    expect(payloads.length).toBeGreaterThan(5);
    const res = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json', 'x-namespace': 'default' },
      body: JSON.stringify({ payloads }),
    });
    expect(res.status).toBe(200);
    const decoded = ((await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(decoded).toHaveLength(payloads.length);
    const plain = decoded.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    for (const secret of [APPROVER, USER_AGENT, ip]) expect(plain).toContain(secret);
    await handle.terminate('test over: the outcome check would wait a week');
    const encodings = new Set(decoded.map((p) => Buffer.from(p.metadata.encoding!, 'base64').toString()));
    expect(encodings.has('json/plain') && !encodings.has('binary/encrypted')).toBe(true);
  }, 90_000);

  it('answers /codec/decode only to a manager token, and browsers only from the Web UI origin', async () => {
    const clear = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"hello"').toString('base64'),
    };
    const post = (headers: Record<string, string>, body: unknown = { payloads: [clear] }) =>
      fetch(`${codecUrl}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const manager = `Bearer ${await token('manager')}`;

    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${await token('approver')}` })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${await token('buyer')}` })).status).toBe(403);
    // A payload written before encryption passes through as it was.
    const ok = await post({ authorization: manager, origin: UI_ORIGIN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(await ok.json()).toEqual({ payloads: [clear] });
    // The UI reads its 401 too (it says why); another site gets no answer at all.
    const unauthorised = await post({ origin: UI_ORIGIN });
    expect([unauthorised.status, unauthorised.headers.get('access-control-allow-origin')]).toEqual([401, UI_ORIGIN]);
    const foreign = await post({ authorization: manager, origin: 'https://evil.example' });
    expect([foreign.status, foreign.headers.get('access-control-allow-origin')]).toEqual([403, null]);

    const preflight = (origin: string) =>
      fetch(`${codecUrl}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-namespace');
    const refused = await preflight('https://evil.example');
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, null]);

    // Hostile bodies are 400s naming the field.
    const bad = async (body: unknown) => {
      const r = await post({ authorization: manager }, body);
      return [r.status, ((await r.json()) as { field?: string }).field];
    };
    expect(await bad({})).toEqual([400, 'payloads']);
    expect(await bad({ payloads: [{ data: 'not base64!' }] })).toEqual([400, 'payloads.0.data']);
    const foreignKey = {
      metadata: {
        encoding: Buffer.from('binary/encrypted').toString('base64'),
        'encryption-key-id': Buffer.from('k9').toString('base64'),
      },
      data: Buffer.alloc(40).toString('base64'),
    };
    expect(await bad({ payloads: [foreignKey] })).toEqual([400, 'payloads']);

    // encode then decode is the identity (the UI encodes what it sends, e.g. a signal's input).
    const encodeRes = await fetch(`${codecUrl}/encode`, {
      method: 'POST',
      headers: { authorization: manager, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [clear] }),
    });
    const encoded = (await encodeRes.json()) as { payloads: (typeof clear)[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(await (await post({ authorization: manager }, encoded)).json()).toEqual({ payloads: [clear] });
  });
});
