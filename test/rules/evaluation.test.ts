import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { RulesEvaluationResult } from '../../workflows/rules-evaluation';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import type { Config } from '../../lib/config';
import { setRuleEnabled } from '../../services/rules/files';
import { signApiToken } from '../../workers/http/jwt';
import { startMetaSandbox, type MetaSandbox } from '../../workers/meta-sandbox/server';
import type { MainWorker } from '../../workers/worker';
import { approvalConfig } from '../approvals/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { startWorker, testClient } from '../support/temporal';
import { AS_OF, rulesDir, seedWarehouse } from './harness';

const JWT_SECRET = 'rules-test-jwt-secret-rules-test-jwt';
const WEBHOOK_SECRET = 'whsec-rules-test';
process.env.SCALEFLOW_WEBHOOK_RULES_TEST = WEBHOOK_SECRET;

/** A rule on ana's campaign N (roas 250 yesterday) that notifies one webhook. */
const hook = (name: string, url: string) =>
  `name: ${name}\nscope: { owners: [ana] }\nconditions: { metric: roas, window: yesterday, op: ">=", value: 200 }\nactions:\n  - notify: { webhook: { url: "${url}", secret_env: SCALEFLOW_WEBHOOK_RULES_TEST } }\n`;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A Slack-style receiver on loopback that checks the signature itself, with node:crypto; reached
 * as `localhost`, the one host the worker's WEBHOOK_ALLOWED_HOSTS lists. Two paths play a hostile
 * receiver: /redirect sends the worker on to `redirectTo`, /leak answers 400 with a body.
 */
async function startReceiver(): Promise<{
  url: string;
  origin: string;
  received: Received[];
  verified: boolean[];
  hostile: string[];
  redirectTo: { url: string };
  server: Server;
}> {
  const received: Received[] = [];
  const verified: boolean[] = [];
  const hostile: string[] = [];
  const redirectTo = { url: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/redirect') {
        hostile.push(req.url);
        res.writeHead(302, { location: redirectTo.url }).end();
        return;
      }
      if (req.url === '/leak') {
        hostile.push(req.url);
        res.writeHead(400, { 'content-type': 'text/plain' }).end('leaked-secret-body');
        return;
      }
      received.push({ headers: req.headers, body });
      const ts = String(req.headers['x-scaleflow-timestamp']);
      const expected = Buffer.from(
        `v1=${createHmac('sha256', WEBHOOK_SECRET).update(`v1:${ts}:${body}`).digest('hex')}`,
      );
      const given = Buffer.from(String(req.headers['x-scaleflow-signature']));
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      verified.push(ok);
      res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/hooks/scaleflow`, origin, received, verified, hostile, redirectTo, server };
}

/** A service only the worker's own network reaches (an admin port, a metadata endpoint): it counts what arrives. */
async function startInternal(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200).end('internal-answer');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`, hits, server };
}

describe('rules evaluation on Temporal and DuckDB', () => {
  let smtp: SmtpCapture;
  let sandbox: MetaSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let internal: Awaited<ReturnType<typeof startInternal>>;
  let config: Config;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let n = 0;
  /** One worker serves the file's tests, as one would serve the day's evaluations. */
  const withWorker = <T>(fn: (main: MainWorker) => Promise<T>): Promise<T> => fn(worker.main);

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    sandbox = await startMetaSandbox();
    sandbox.state.addAccount('act_1001');
    sandbox.state.addCampaign('act_1001', { name: 'Campaign K', dailyBudget: 5000 }, '9011');
    sandbox.state.addCampaign('act_1001', { name: 'Campaign S', dailyBudget: 10000 }, '9012');
    receiver = await startReceiver();
    internal = await startInternal();
    receiver.redirectTo.url = internal.url;
    const dir = rulesDir({
      'raise-roas-winners.yaml': readFileSync(
        new URL('../../rules/examples/raise-roas-winners.yaml', import.meta.url),
        'utf8',
      ),
      'again.yaml': `name: Pause dan's spenders\nscope: { owners: [dan] }\nconditions: { metric: spend, window: yesterday, op: ">", value: 0 }\nactions: [{ pause: true }]\nsafety: { cooldown: 0m }\n`,
      'dry.yaml': `name: Dry run\nscope: { owners: [mike] }\nconditions: { metric: spend, window: yesterday, op: ">", value: 0 }\nactions:\n  - adjust_budget: { by_percent: 10 }\n  - notify: { email: [mike@example.com] }\nsafety: { dry_run: true }\n`,
      'hook.yaml': hook('Tell Slack', receiver.url),
      // the attacks issue 16 found: a buyer's rule aiming the worker at what only it can reach
      'outsider.yaml': hook('Reach inside', internal.url),
      'redirect.yaml': hook('Redirect inside', `${receiver.origin}/redirect`),
      'leaky.yaml': hook('Echo the answer', `${receiver.origin}/leak`),
      'copy.yaml': `name: Duplicate kim's winners\nscope: { owners: [kim] }\nconditions: { metric: roas, window: last_2_days, op: ">", value: 150 }\nactions:\n  - duplicate: { name_suffix: " - scaled" }\n`,
      'auto.yaml': `name: Nudge sam's winners\nscope: { owners: [sam] }\nconditions: { metric: roas, window: yesterday, op: ">", value: 150 }\nactions: [{ adjust_budget: { by_percent: 10 } }]\nsafety: { require_approval: false }\n`,
      'owners.yaml': `owners:\n  sam:\n    unattended: { actions: [adjust_budget], max_change_pct: 20 }\n`,
      'broken.yaml': `name: Broken\nconditions: { metric: roas, window: yesterday, op: "=>", value: 1 }\nactions: [{ pause: true }]\n`,
    });
    // shipped switched off: the buyer switches it on, as the README says
    setRuleEnabled(dir, 'raise-roas-winners', true);
    config = await approvalConfig(smtp, {
      RULES_DIR: dir,
      JWT_SECRET,
      META_ACCESS_TOKEN: sandbox.token,
      META_GRAPH_URL: sandbox.url,
      // the receiver by name only; loopback opened for it as tests alone may
      WEBHOOK_ALLOWED_HOSTS: 'localhost',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      NODE_ENV: 'test',
    });
    await seedWarehouse(config.SCALEFLOW_DB, [
      // ben: roas 170 then 200, spend 200 -> +20% of $500 = $600
      {
        id: 'A',
        owner: 'ben',
        days: [
          [100, 150],
          [200, 340],
          [200, 400],
        ],
        meta: { id: '7001', dailyBudget: 500 },
      },
      // roas 160, 155, spend 120 -> $700 + 20% = $840, held at the rule's $800
      {
        id: 'B',
        owner: 'ben',
        days: [
          [100, 100],
          [100, 160],
          [120, 186],
        ],
        meta: { id: '7002', dailyBudget: 700 },
      },
      // roas 160 then exactly 150.0: not > 150
      {
        id: 'C',
        owner: 'ben',
        days: [
          [100, 160],
          [100, 150],
        ],
        meta: { id: '7003', dailyBudget: 500 },
      },
      // spend exactly $100 yesterday: not > $100
      {
        id: 'D',
        owner: 'ben',
        days: [
          [100, 200],
          [100, 200],
        ],
        meta: { id: '7004', dailyBudget: 500 },
      },
      // tj's: out of the rule's scope
      {
        id: 'E',
        owner: 'tj',
        days: [
          [150, 300],
          [150, 300],
        ],
        meta: { id: '7005', dailyBudget: 500 },
      },
      // $300 -> $360; and G, the 4th match, is over "at most 3 times a day"
      {
        id: 'F',
        owner: 'ben',
        days: [
          [150, 300],
          [150, 300],
        ],
        meta: { id: '7006', dailyBudget: 300 },
      },
      {
        id: 'G',
        owner: 'ben',
        days: [
          [150, 300],
          [150, 300],
        ],
        meta: { id: '7007', dailyBudget: 400 },
      },
      { id: 'H', owner: 'dan', days: [[50, 10]], meta: { id: '7008', dailyBudget: 100 } },
      { id: 'M', owner: 'mike', days: [[50, 10]], meta: { id: '7009', dailyBudget: 100 } },
      { id: 'N', owner: 'ana', days: [[100, 250]], meta: { id: '7010', dailyBudget: 100 } },
      { id: 'S', owner: 'sam', days: [[100, 200]], meta: { id: '9012', dailyBudget: 100 } },
      {
        id: 'K',
        owner: 'kim',
        days: [
          [100, 200],
          [100, 200],
        ],
        meta: { id: '9011', dailyBudget: 50 },
      },
    ]);
    client = await testClient(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
    await sandbox?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await new Promise((resolve) => internal?.server.close(resolve));
  });

  const evaluate = (ruleId: string): Promise<RulesEvaluationResult> =>
    client.workflow.execute('rulesEvaluation', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `rules/test-${ruleId}-${++n}`,
      args: [
        {
          asOf: AS_OF,
          force: true,
          ruleId,
          settings: { approvalTimeoutMs: 3_600_000, outcomeDelayMs: 3_600_000, dryRun: false },
        },
      ],
    });
  const actions = (main: MainWorker, ruleId: string) =>
    main.warehouse.all<{ campaign_id: string; status: string; workflow_id: string | null; detail: string }>(
      'SELECT campaign_id, status, workflow_id, detail FROM rule_actions WHERE rule_id = $1 ORDER BY planned_at, campaign_id',
      [ruleId],
    );
  /** The part of GET /api/rules/{id}/executions these tests read. */
  interface ExecutionsAnswer {
    executions: Array<
      Record<string, unknown> & {
        actions: Array<{ campaign_id: string; status: string }>;
        errors: string[];
        duration_ms: unknown;
      }
    >;
  }
  const api = async (
    main: MainWorker,
    path: string,
    claims = { sub: 'lead@example.com', role: 'manager' as const },
  ) => {
    const token = await signApiToken(JWT_SECRET, claims);
    const res = await fetch(`${main.http!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as ExecutionsAnswer };
  };

  it("the buyer's rule: 3 proposals through budgetChange with approval, the 4th match held by the daily limit; history in the API", async () => {
    await withWorker(async (main) => {
      const result = await evaluate('raise-roas-winners');
      expect(result).toMatchObject({
        asOf: AS_OF,
        rules: 1,
        checked: 6,
        matched: 4,
        recorded: { planned: 3, limited: 1 },
        carriedOut: { proposed: 3 },
      });
      expect((await actions(main, 'raise-roas-winners')).map((a) => [a.campaign_id, a.status, a.workflow_id])).toEqual([
        ['A', 'proposed', `budget-change/A/${AS_OF}/rule-raise-roas-winners`],
        ['B', 'proposed', `budget-change/B/${AS_OF}/rule-raise-roas-winners`],
        ['F', 'proposed', `budget-change/F/${AS_OF}/rule-raise-roas-winners`],
        ['G', 'limited', null],
      ]);
      const budgets: Record<string, [number, number]> = {
        A: [50_000, 60_000],
        B: [70_000, 80_000],
        F: [30_000, 36_000],
      };
      for (const [id, [fromCents, toCents]] of Object.entries(budgets)) {
        const handle = client.workflow.getHandle(`budget-change/${id}/${AS_OF}/rule-raise-roas-winners`);
        // the children run on their own: wait until each has asked for approval
        const status = await waitFor(
          async () => {
            const s = await handle.query<BudgetChangeStatus>('status');
            return s.state === 'awaiting_approval' && s;
          },
          20_000,
          `budget-change/${id} awaiting approval`,
        );
        expect(status.proposal).toMatchObject({
          type: 'rule',
          owner: 'ben',
          action: { kind: 'set_daily_budget', fromCents, toCents },
        });
        expect(status.proposal.evidence).toMatchObject({ rule_id: 'raise-roas-winners' });
      }
      // each proposal asks ben's two approvers
      await waitFor(
        () => smtp.messages.filter((m) => m.subject?.startsWith('Approve:')).length === 6,
        20_000,
        'six approval emails',
      );
      expect(
        smtp.messages
          .filter((m) => m.subject?.startsWith('Approve:'))
          .map((m) => m.subject)
          .sort()[0],
      ).toMatch(/^Approve: daily budget \$300\.00 -> \$360\.00 for Campaign F \(ben\)$/);

      // a second evaluation the same day proposes nothing twice: cooldown for A, B, F; G still over the limit
      const again = await evaluate('raise-roas-winners');
      expect(again).toMatchObject({ matched: 4, recorded: { cooling_down: 3, limited: 1 }, carriedOut: {} });

      const history = await api(main, '/api/rules/raise-roas-winners/executions');
      expect(history.status).toBe(200);
      expect(history.body.executions).toHaveLength(2);
      expect(history.body.executions[1]).toMatchObject({
        as_of: AS_OF,
        checked: 6,
        matched: 4,
        proposed: 3,
        taken: 0,
        errors: [],
        dry_run: false,
      });
      expect(
        history.body.executions[1]!.actions.map(
          (a: { campaign_id: string; status: string }) => `${a.campaign_id}:${a.status}`,
        ),
      ).toEqual(['A:proposed', 'B:proposed', 'F:proposed', 'G:limited']);
      expect(typeof history.body.executions[1]!.duration_ms).toBe('number');
      // a buyer sees the counts and only their own campaigns' actions
      const tj = await api(main, '/api/rules/raise-roas-winners/executions', {
        sub: 'tj@example.com',
        role: 'buyer',
        owner: 'tj',
      } as never);
      expect(tj.body.executions[1]!.actions).toEqual([]);
      // a broken rule file is an execution with its error, line and field
      const broken = await api(main, '/api/rules/broken/executions');
      expect(broken.body.executions[0]!.errors[0]).toMatch(/broken\.yaml:2:\d+: conditions\.op: /);
    });
  });

  it('a re-run finds the existing budgetChange by its business key instead of proposing twice', async () => {
    await withWorker(async (main) => {
      expect((await evaluate('again')).carriedOut).toEqual({ proposed: 1 });
      expect((await evaluate('again')).carriedOut).toEqual({ existing: 1 });
      expect((await actions(main, 'again')).map((a) => a.status)).toEqual(['proposed', 'existing']);
    });
  });

  it('dry run records what it would do and proposes, writes and sends nothing', async () => {
    await withWorker(async (main) => {
      const mailBefore = smtp.messages.length;
      const postsBefore = sandbox.log.filter((r) => r.method === 'POST').length;
      const result = await evaluate('dry');
      expect(result).toMatchObject({ matched: 1, recorded: { dry_run: 2 }, carriedOut: {} });
      expect((await actions(main, 'dry')).map((a) => [a.campaign_id, a.status])).toEqual([
        ['M', 'dry_run'],
        ['M', 'dry_run'],
      ]);
      await expect(client.workflow.getHandle(`budget-change/M/${AS_OF}/rule-dry`).describe()).rejects.toThrow(
        /not found/i,
      );
      expect(smtp.messages.length).toBe(mailBefore);
      expect(sandbox.log.filter((r) => r.method === 'POST').length).toBe(postsBefore);
      const history = await api(main, '/api/rules/dry/executions');
      expect(history.body.executions[0]).toMatchObject({ dry_run: true, matched: 1, proposed: 0, taken: 0 });
    });
  });

  it('notify by webhook: a POST whose HMAC-SHA256 signature the receiver verifies', async () => {
    await withWorker(async (main) => {
      const result = await evaluate('hook');
      expect(result.carriedOut).toEqual({ sent: 1 });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.verified).toEqual([true]);
      const message = JSON.parse(receiver.received[0]!.body);
      expect(message).toMatchObject({
        rule_id: 'hook',
        campaign_id: 'N',
        owner: 'ana',
        as_of: AS_OF,
        evidence: { roas_yesterday: 250 },
      });
      // the origin and the status only: a webhook's path may be its secret (Slack's are)
      expect((await actions(main, 'hook'))[0]).toMatchObject({
        status: 'sent',
        detail: `webhook ${receiver.origin} (200)`,
      });
    });
  });

  it('a webhook to a loopback service not in WEBHOOK_ALLOWED_HOSTS is not sent: the service sees no request, the history says why', async () => {
    await withWorker(async (main) => {
      const result = await evaluate('outsider');
      expect(result).toMatchObject({ matched: 1, recorded: { skipped: 1 }, carriedOut: {} });
      expect(internal.hits).toEqual([]);
      expect(await actions(main, 'outsider')).toEqual([
        expect.objectContaining({
          campaign_id: 'N',
          status: 'skipped',
          detail: 'webhook host 127.0.0.1 is not in WEBHOOK_ALLOWED_HOSTS',
        }),
      ]);
    });
  });

  it('a redirect from the allowed host to a loopback URL is not followed: its 302 is recorded, the target sees nothing', async () => {
    await withWorker(async (main) => {
      const result = await evaluate('redirect');
      expect(result.carriedOut).toEqual({ failed: 1 });
      expect(receiver.hostile).toContain('/redirect');
      expect(internal.hits).toEqual([]);
      expect((await actions(main, 'redirect'))[0]).toMatchObject({
        status: 'failed',
        detail: `webhook ${receiver.origin} answered 302: redirects are not followed`,
      });
    });
  });

  it("the receiver's answer never reaches rule history (buyers read it): only its status code", async () => {
    await withWorker(async (main) => {
      const result = await evaluate('leaky');
      expect(result.carriedOut).toEqual({ failed: 1 });
      expect(receiver.hostile).toContain('/leak');
      expect((await actions(main, 'leaky'))[0]).toMatchObject({
        status: 'failed',
        detail: `webhook ${receiver.origin} answered 400`,
      });
      const ana = await api(main, '/api/rules/leaky/executions', {
        sub: 'ana@example.com',
        role: 'buyer',
        owner: 'ana',
      } as never);
      expect(ana.status).toBe(200);
      expect(ana.body.executions[0]!.actions).toEqual([
        expect.objectContaining({ campaign_id: 'N', status: 'failed' }),
      ]);
      expect(JSON.stringify(ana.body)).toContain('answered 400');
      expect(JSON.stringify(ana.body)).not.toContain('leaked-secret-body');
    });
  });

  it('duplicate creates a PAUSED copy with the name suffix on Meta (the sandbox copy endpoint)', async () => {
    await withWorker(async (main) => {
      const result = await evaluate('copy');
      expect(result.carriedOut).toEqual({ copied: 1 });
      const copies = [...sandbox.state.accounts.get('act_1001')!.campaigns].filter(
        (c) => c.name === 'Campaign K - scaled',
      );
      expect(copies).toHaveLength(1);
      expect(copies[0]!.status).toBe('PAUSED');
      expect(sandbox.log.some((r) => r.method === 'POST' && r.path === '/9011/copies')).toBe(true);
      expect((await actions(main, 'copy'))[0]!.detail).toBe(`PAUSED copy ${copies[0]!.id} of 9011`);
    });
  });

  it('require_approval: false runs unattended where the owner config allows: budgetChange writes without a click, audited', async () => {
    await withWorker(async (main) => {
      const mailBefore = smtp.messages.length;
      expect((await evaluate('auto')).carriedOut).toEqual({ unattended: 1 });
      const handle = client.workflow.getHandle(`budget-change/S/${AS_OF}/rule-auto`);
      const status = await waitFor(
        async () => {
          const st = await handle.query<BudgetChangeStatus>('status');
          return st.state === 'written' && st;
        },
        20_000,
        'the unattended change written',
      );
      // $100.00 + 10% = $110.00, as Meta's minor units
      expect(sandbox.state.campaign('9012')!.dailyBudget).toBe(11_000);
      expect(status.decision).toMatchObject({
        decision: 'approve',
        approver: "rule auto (unattended, allowed by sam's owner config)",
      });
      expect(smtp.messages.length).toBe(mailBefore);
      const decided = await main.warehouse.one<{ actor: string }>(
        "SELECT actor FROM audit_log WHERE workflow_id = $1 AND event = 'decided'",
        [`budget-change/S/${AS_OF}/rule-auto`],
      );
      expect(decided?.actor).toBe("rule auto (unattended, allowed by sam's owner config)");
    });
  });
});
