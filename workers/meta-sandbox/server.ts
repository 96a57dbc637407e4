import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FaultQueue, type RequestInfo } from './faults';
import { saveSandboxState } from './persist';
import { SandboxState } from './state';
import { campaignJson, adsetJson, graphError, insightsJson } from './wire';
import { handleWrite } from './writes';

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
}

export interface MetaSandbox {
  url: string;
  state: SandboxState;
  faults: FaultQueue;
  /** Every request in arrival order. */
  log: LoggedRequest[];
  /** The token requests must carry (anything else is answered like a bad token, code 190). */
  token: string;
  close(): Promise<void>;
}

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const ok = (body: unknown) => new Answer(200, body);
const refuse = (status: number, code: number, message: string, extra: Parameters<typeof graphError>[2] = {}) => new Answer(status, graphError(code, message, extra));

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

const encodeCursor = (index: number) => Buffer.from(String(index)).toString('base64url');
function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const fieldList = (query: Record<string, string>) => query.fields?.split(',').map((f) => f.trim()).filter(Boolean);

/** Today's date in a time zone, as Meta's `date_start` would say it. */
function todayIn(timeZone: string, now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

function parseJsonParam<T>(value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

export async function startMetaSandbox(
  options: { state?: SandboxState; token?: string; port?: number; /** A file every accepted write is saved to before it is answered. */ persistTo?: string } = {},
): Promise<MetaSandbox> {
  const state = options.state ?? new SandboxState();
  const faults = new FaultQueue();
  const log: LoggedRequest[] = [];
  const token = options.token ?? 'sandbox-token';
  let baseUrl = '';

  /** A page of rows with Meta's cursors and an absolute `paging.next` (the SDK follows it verbatim). */
  function page(rows: unknown[], request: RequestInfo, version: string): Answer {
    const start = decodeCursor(request.query.after);
    if (start === undefined) return refuse(400, 100, '(#100) Invalid cursor');
    const limit = Math.min(Math.max(Number(request.query.limit ?? 25) || 25, 1), 5000);
    const slice = rows.slice(start, start + limit);
    const end = start + slice.length;
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(end) } };
    if (end < rows.length) {
      const next = new URLSearchParams({ ...request.query, after: encodeCursor(end) });
      paging.next = `${baseUrl}/${version}${request.path}?${next.toString()}`;
    }
    return ok(slice.length ? { data: slice, paging } : { data: [] });
  }

  function insightsFor(campaigns: ReturnType<SandboxState['campaign']>[], request: RequestInfo, version: string): Answer {
    if (request.query.level && request.query.level !== 'campaign') return refuse(400, 100, '(#100) the sandbox answers level=campaign only');
    const range = parseJsonParam<{ since: string; until: string }>(request.query.time_range);
    const filtering = parseJsonParam<{ field: string; operator: string; value: string[] }[]>(request.query.filtering) ?? [];
    const idFilter = filtering.find((f) => f.field === 'campaign.id' && f.operator === 'IN');
    const rows = campaigns
      .filter((c) => c !== undefined && c.impressions > 0)
      .filter((c) => !idFilter || idFilter.value.includes(c!.id))
      .map((c) => {
        const account = state.accountOf(c!);
        return insightsJson(c!, account, range?.since ?? todayIn(account.timezone, state.now()), fieldList(request.query));
      });
    return page(rows, request, version);
  }

  function route(request: RequestInfo, version: string): Answer {
    const parts = request.path.split('/').filter(Boolean);
    const [node, edge, ...rest] = parts;
    if (!node || rest.length) return refuse(400, 2500, 'Unknown path components');
    if (node.startsWith('act_')) {
      const account = state.accounts.get(node);
      if (!account) return refuse(400, 100, `(#100) Unsupported get request. Object with ID '${node}' does not exist`, { subcode: 33 });
      if (request.method === 'GET' && edge === 'campaigns') {
        return page(account.campaigns.map((c) => campaignJson(c, fieldList(request.query))), request, version);
      }
      if (request.method === 'GET' && edge === 'insights') return insightsFor(account.campaigns, request, version);
      if (request.method === 'GET' && !edge) return ok({ id: account.id, account_id: account.id.slice(4), name: account.name, currency: account.currency, timezone_name: account.timezone });
      return refuse(400, 100, `(#100) Unsupported ${request.method} request on ${request.path}`);
    }
    const campaign = state.campaign(node);
    const adset = campaign ? undefined : state.adset(node);
    if (!campaign && !adset) return refuse(400, 100, `(#100) Unsupported get request. Object with ID '${node}' does not exist`, { subcode: 33 });
    if (request.method === 'GET') {
      if (adset && !edge) return ok(adsetJson(adset.adset, adset.campaign, fieldList(request.query)));
      if (campaign && !edge) return ok(campaignJson(campaign, fieldList(request.query)));
      if (campaign && edge === 'insights') return insightsFor([campaign], request, version);
      if (campaign && edge === 'adsets') return page(campaign.adsets.map((a) => adsetJson(a, campaign, fieldList(request.query))), request, version);
    }
    if (request.method === 'POST') {
      const written = handleWrite(state, { campaign, adset, edge, body: { ...request.query, ...request.body } });
      return written.error ? refuse(written.error.status, written.error.code, written.error.message, written.error) : ok(written.body);
    }
    return refuse(400, 100, `(#100) Unsupported ${request.method} request on ${request.path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req); // the SDK sends a `{}` body even on GET
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const request: RequestInfo = {
      method: req.method ?? 'GET',
      path: match?.[2] ?? url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(raw, req.headers['content-type']),
    };
    const { access_token: _q, ...query } = request.query;
    const { access_token: _b, ...body } = request.body;
    const entry: LoggedRequest = { ...request, query, body, seq: log.length + 1, version: match?.[1] ?? '', status: 0 };
    log.push(entry);

    let answer: Answer | undefined;
    let answerDelayMs = 0;
    for (const fault of faults.take(request)) {
      entry.fault =
        fault.kind === 'graph_error'
          ? `graph_error ${fault.code}`
          : fault.kind === 'slow' || fault.kind === 'slow_answer'
            ? `${fault.kind} ${fault.ms}ms`
            : `http ${fault.status}`;
      if (fault.kind === 'slow') await delay(fault.ms);
      else if (fault.kind === 'slow_answer') answerDelayMs += fault.ms;
      else if (fault.kind === 'server_error') answer = new Answer(fault.status, { error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true } });
      else answer = new Answer(fault.status, graphError(fault.code, fault.message, fault), fault.headers);
    }
    if (!answer) {
      const presented = String(request.query.access_token ?? request.body.access_token ?? '');
      if (!match) answer = refuse(400, 2500, 'An API version such as /v24.0/ is required');
      else if (presented !== token) answer = refuse(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      else answer = route(request, match[1]!);
      // Saved before the answer leaves: once scaleflow records a write, a restart keeps it.
      if (options.persistTo && request.method === 'POST' && answer.status === 200) saveSandboxState(options.persistTo, state);
    }
    entry.status = answer.status;
    if (answerDelayMs) await delay(answerDelayMs);
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
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
