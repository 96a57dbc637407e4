import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { itemAnswer, itemRequest, parseBatch } from './batch';
import { FaultQueue, type RequestInfo } from './faults';
import { saveSandboxState } from './persist';
import { AccountQuota, type QuotaOptions } from './quota';
import { ReportRuns } from './report-runs';
import { Answer, createRouter, refuse } from './routes';
import { SandboxState } from './state';
import { graphError } from './wire';

/**
 * A loopback stand-in for the Marketing API (Meta cannot be reached from these machines): the
 * endpoints scaleflow calls, in Meta's wire format, over real HTTP. Tests and the local demo point
 * the SDK at it with META_GRAPH_URL.
 */
export interface LoggedRequest extends RequestInfo {
  seq: number;
  version: string;
  status: number;
  /** The fault given instead of (or before) the answer, if any. */
  fault?: string;
  /** For an item of a batch request: the seq of the batch's HTTP request. */
  batch?: number;
}

export interface MetaSandbox {
  url: string;
  state: SandboxState;
  faults: FaultQueue;
  /** Every request in arrival order: HTTP requests, and each batch item after its batch. */
  log: LoggedRequest[];
  /** The asynchronous insights jobs created (AdReportRun). */
  reportRuns: ReportRuns;
  /** The per-account call budget, when one was set. */
  quota?: AccountQuota;
  /** The token requests must carry (anything else is answered like a bad token, code 190). */
  token: string;
  close(): Promise<void>;
}

export interface SandboxOptions {
  state?: SandboxState;
  token?: string;
  port?: number;
  /** A file every accepted write is saved to before it is answered. */
  persistTo?: string;
  /** Each HTTP request waits this long before it is handled (a batch once): Meta's latency, for benchmarks. */
  latencyMs?: number;
  /** Meta's per-ad-account call budget (X-Business-Use-Case-Usage, code 80004 past it); none by default. */
  quota?: QuotaOptions;
  /** How long an asynchronous insights job runs on the sandbox's clock (default 1.5 s). */
  reportRunMs?: number;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const faultLabel = (fault: ReturnType<FaultQueue['take']>[number]) =>
  fault.kind === 'graph_error'
    ? `graph_error ${fault.code}`
    : fault.kind === 'slow' || fault.kind === 'slow_answer'
      ? `${fault.kind} ${fault.ms}ms`
      : fault.kind === 'job_failed'
        ? 'job_failed'
        : `http ${fault.status}`;

export async function startMetaSandbox(options: SandboxOptions = {}): Promise<MetaSandbox> {
  const state = options.state ?? new SandboxState();
  const faults = new FaultQueue();
  const log: LoggedRequest[] = [];
  const token = options.token ?? 'sandbox-token';
  const reportRuns = new ReportRuns(state.now, options.reportRunMs ?? 1500);
  const quota = options.quota ? new AccountQuota(options.quota, state.now) : undefined;
  let baseUrl = '';
  const router = createRouter({ state, reportRuns, baseUrl: () => baseUrl });

  const logged = (request: RequestInfo, version: string, batch?: number): LoggedRequest => {
    const { access_token: _q, ...query } = request.query;
    const { access_token: _b, ...body } = request.body;
    const entry: LoggedRequest = {
      ...request,
      query,
      body,
      seq: log.length + 1,
      version,
      status: 0,
      ...(batch ? { batch } : {}),
    };
    log.push(entry);
    return entry;
  };

  /** One Graph call (an HTTP request, or one item of a batch): its faults, token, quota, then the endpoint. */
  async function answerOne(
    request: RequestInfo,
    version: string | undefined,
    presented: string,
    entry: LoggedRequest,
  ): Promise<{ answer: Answer; delayMs: number }> {
    let answer: Answer | undefined;
    let delayMs = 0;
    for (const fault of faults.take(request)) {
      entry.fault = faultLabel(fault);
      if (fault.kind === 'slow') await delay(fault.ms);
      else if (fault.kind === 'slow_answer') delayMs += fault.ms;
      else if (fault.kind === 'job_failed') {
        const run = reportRuns.get(request.path.split('/').filter(Boolean)[0] ?? '');
        if (run) run.failed = true;
      } else if (fault.kind === 'server_error')
        answer = new Answer(fault.status, {
          error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true },
        });
      else answer = new Answer(fault.status, graphError(fault.code, fault.message, fault), fault.headers);
    }
    if (!answer) {
      if (!version) answer = refuse(400, 2500, 'An API version such as /v24.0/ is required');
      else if (presented !== token) answer = refuse(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      else {
        const account = quota && router.accountOf(request);
        const charge = account ? quota!.charge(account) : undefined;
        if (charge && !charge.ok)
          answer = refuse(400, charge.code, charge.message, { subcode: charge.subcode, headers: charge.headers });
        else {
          const routed = router.route(request, version);
          answer = charge ? new Answer(routed.status, routed.body, { ...routed.headers, ...charge.headers }) : routed;
        }
      }
      // Saved before the answer leaves: once scaleflow records a write, a restart keeps it.
      if (options.persistTo && request.method === 'POST' && answer.status === 200)
        saveSandboxState(options.persistTo, state);
    }
    entry.status = answer.status;
    return { answer, delayMs };
  }

  /** POST to the Graph root with `batch`: every item answered in order, each with its own status. */
  async function answerBatch(
    batch: unknown,
    version: string,
    presented: string,
    parent: LoggedRequest,
  ): Promise<Answer> {
    const items = parseBatch(batch);
    if (typeof items === 'string') return refuse(400, 100, items);
    const answers = [];
    for (const item of items) {
      const { request, version: itemVersion } = itemRequest(item, version);
      const { answer } = await answerOne(request, itemVersion, presented, logged(request, itemVersion, parent.seq));
      answers.push(itemAnswer(answer.status, answer.body, answer.headers));
    }
    return new Answer(200, answers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req); // the SDK sends a `{}` body even on GET
    if (options.latencyMs) await delay(options.latencyMs);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const match = /^\/(v\d+\.\d+)(\/.*)?$/.exec(url.pathname);
    const request: RequestInfo = {
      method: req.method ?? 'GET',
      path: match ? (match[2] ?? '/') : url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(raw, req.headers['content-type']),
    };
    const entry = logged(request, match?.[1] ?? '');
    const presented = String(request.query.access_token ?? request.body.access_token ?? '');
    const isBatch = request.method === 'POST' && request.path === '/' && request.body.batch !== undefined;
    const { answer, delayMs } =
      isBatch && match && presented === token
        ? { answer: await answerBatch(request.body.batch, match[1]!, presented, entry), delayMs: 0 }
        : await answerOne(request, match?.[1], presented, entry);
    entry.status = answer.status;
    if (delayMs) await delay(delayMs);
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(graphError(1, `sandbox failure: ${(err as Error).message}`)));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    state,
    faults,
    log,
    reportRuns,
    quota,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
