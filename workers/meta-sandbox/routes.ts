import { adsetBreakdownRows, breakdownJson, breakdownOf, campaignBreakdownRows } from './breakdowns';
import type { RequestInfo } from './faults';
import type { ReportRuns } from './report-runs';
import type { SandboxCampaign, SandboxState } from './state';
import { adsetJson, campaignJson, customAudienceJson, graphError, insightsJson } from './wire';
import { handleWrite } from './writes';

/** The sandbox's Graph endpoints: one request in, Meta's answer out (no HTTP, faults or quotas here). */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const ok = (body: unknown) => new Answer(200, body);
export const refuse = (
  status: number,
  code: number,
  message: string,
  extra: Parameters<typeof graphError>[2] & { headers?: Record<string, string> } = {},
) => new Answer(status, graphError(code, message, extra), extra.headers);

const encodeCursor = (index: number) => Buffer.from(String(index)).toString('base64url');
function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const fieldList = (params: Record<string, unknown>) =>
  typeof params.fields === 'string'
    ? params.fields
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;

/** Today's date in a time zone, as Meta's `date_start` would say it. */
function todayIn(timeZone: string, now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(now),
  );
}

/** A parameter Meta takes as JSON: a string in a query or form, the value itself in a JSON body. */
function jsonParam<T>(value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

const missing = (node: string) =>
  refuse(400, 100, `(#100) Unsupported get request. Object with ID '${node}' does not exist`, { subcode: 33 });

export function createRouter({
  state,
  reportRuns,
  baseUrl,
}: {
  state: SandboxState;
  reportRuns: ReportRuns;
  baseUrl: () => string;
}) {
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
      paging.next = `${baseUrl()}/${version}${request.path}?${next.toString()}`;
    }
    return ok(slice.length ? { data: slice, paging } : { data: [] });
  }

  /** level=campaign (or level=adset) rows for what delivered, or why the parameters are refused. */
  function insightsRows(
    campaigns: SandboxCampaign[],
    params: Record<string, unknown>,
  ): { rows: unknown[]; since?: string; until?: string } | Answer {
    const level = params.level ?? 'campaign';
    if (level !== 'campaign' && level !== 'adset')
      return refuse(400, 100, '(#100) the sandbox answers level=campaign or level=adset only');
    const range = jsonParam<{ since: string; until: string }>(params.time_range);
    const filtering = jsonParam<{ field: string; operator: string; value: string[] }[]>(params.filtering) ?? [];
    const idFilter = (field: string) => filtering.find((f) => f.field === field && f.operator === 'IN')?.value;
    const campaignIds = idFilter('campaign.id');
    const adsetIds = idFilter('adset.id');
    const day = (c: SandboxCampaign) => range?.since ?? todayIn(state.accountOf(c).timezone, state.now());
    const kept = campaigns.filter((c) => !campaignIds || campaignIds.includes(c.id));
    if (params.breakdowns !== undefined) {
      const breakdown = typeof params.breakdowns === 'string' ? breakdownOf(params.breakdowns) : undefined;
      if (!breakdown)
        return refuse(
          400,
          100,
          `(#100) breakdowns ${JSON.stringify(params.breakdowns)} is not a breakdown the sandbox serves`,
        );
      const fields = fieldList(params);
      const adsetsOf = (c: SandboxCampaign) =>
        c.adsets
          .filter((a) => !adsetIds || adsetIds.includes(a.id))
          .map((adset) => ({ adset, delivery: state.adsetDelivery(adset, c) }));
      const rows = kept.flatMap((c) =>
        level === 'campaign'
          ? campaignBreakdownRows(breakdown, adsetsOf(c), day(c)).map((r) =>
              breakdownJson(c, state.accountOf(c), day(c), r, fields),
            )
          : adsetsOf(c).flatMap(({ adset, delivery }) =>
              adsetBreakdownRows(breakdown, adset, delivery, day(c)).map((r) =>
                breakdownJson(c, state.accountOf(c), day(c), r, fields, adset),
              ),
            ),
      );
      return { rows, since: range?.since, until: range?.until };
    }
    const rows =
      level === 'campaign'
        ? kept
            .filter((c) => c.impressions > 0)
            .map((c) => insightsJson(c, state.accountOf(c), day(c), fieldList(params)))
        : kept.flatMap((c) =>
            c.adsets
              .filter((a) => !adsetIds || adsetIds.includes(a.id))
              .map((adset) => ({ adset, delivery: state.adsetDelivery(adset, c) }))
              .filter(({ delivery }) => delivery.impressions > 0)
              .map((a) => insightsJson(c, state.accountOf(c), day(c), fieldList(params), a)),
          );
    return { rows, since: range?.since, until: range?.until };
  }

  function insights(campaigns: SandboxCampaign[], request: RequestInfo, version: string): Answer {
    const result = insightsRows(campaigns, request.query);
    return result instanceof Answer ? result : page(result.rows, request, version);
  }

  function account(request: RequestInfo, node: string, edge: string | undefined, version: string): Answer {
    const account = state.accounts.get(node);
    if (!account) return missing(node);
    if (request.method === 'GET' && edge === 'campaigns') {
      const answer = page(
        account.campaigns.map((c) => campaignJson(c, fieldList(request.query))),
        request,
        version,
      );
      // summary=total_count: Meta adds the edge's size beside the page.
      if (answer.status === 200 && request.query.summary?.split(',').includes('total_count'))
        (answer.body as Record<string, unknown>).summary = { total_count: account.campaigns.length };
      return answer;
    }
    if (request.method === 'GET' && edge === 'adsets')
      return page(
        account.campaigns.flatMap((c) => c.adsets.map((a) => adsetJson(a, c, fieldList(request.query)))),
        request,
        version,
      );
    if (request.method === 'GET' && edge === 'customaudiences')
      return page(
        account.customAudiences.map((a) => customAudienceJson(a, fieldList(request.query))),
        request,
        version,
      );
    if (request.method === 'GET' && edge === 'insights') return insights(account.campaigns, request, version);
    if (request.method === 'POST' && edge === 'insights') {
      // The asynchronous job: the same parameters as the GET, answered with the job's id.
      const params = { ...request.query, ...request.body };
      const result = insightsRows(account.campaigns, params);
      if (result instanceof Answer) return result;
      const today = todayIn(account.timezone, state.now());
      const run = reportRuns.create(
        account.id,
        { since: result.since ?? today, until: result.until ?? today },
        result.rows,
      );
      return ok({ report_run_id: run.id });
    }
    if (request.method === 'GET' && !edge)
      return ok({
        id: account.id,
        account_id: account.id.slice(4),
        name: account.name,
        currency: account.currency,
        timezone_name: account.timezone,
      });
    return refuse(400, 100, `(#100) Unsupported ${request.method} request on ${request.path}`);
  }

  function reportRun(request: RequestInfo, node: string, edge: string | undefined, version: string): Answer {
    const run = reportRuns.get(node)!;
    if (request.method === 'GET' && !edge) return ok(reportRuns.json(run));
    if (request.method === 'GET' && edge === 'insights') {
      const status = reportRuns.status(run);
      if (status !== 'Job Completed')
        return refuse(400, 100, `(#100) The report run ${run.id} is not complete (${status})`, { subcode: 1487534 });
      return page(run.rows, request, version);
    }
    return refuse(400, 100, `(#100) Unsupported ${request.method} request on ${request.path}`);
  }

  return {
    route(request: RequestInfo, version: string): Answer {
      const [node, edge, ...rest] = request.path.split('/').filter(Boolean);
      if (!node || rest.length) return refuse(400, 2500, 'Unknown path components');
      if (node.startsWith('act_')) return account(request, node, edge, version);
      if (reportRuns.get(node)) return reportRun(request, node, edge, version);
      const campaign = state.campaign(node);
      const adset = campaign ? undefined : state.adset(node);
      if (!campaign && !adset) return missing(node);
      if (request.method === 'GET') {
        if (adset && !edge) return ok(adsetJson(adset.adset, adset.campaign, fieldList(request.query)));
        if (adset && edge === 'insights') {
          const filtered = {
            ...request.query,
            level: 'adset',
            filtering: [{ field: 'adset.id', operator: 'IN', value: [adset.adset.id] }],
          };
          const result = insightsRows([adset.campaign], filtered);
          return result instanceof Answer ? result : page(result.rows, request, version);
        }
        if (campaign && !edge) return ok(campaignJson(campaign, fieldList(request.query)));
        if (campaign && edge === 'insights') return insights([campaign], request, version);
        if (campaign && edge === 'adsets')
          return page(
            campaign.adsets.map((a) => adsetJson(a, campaign, fieldList(request.query))),
            request,
            version,
          );
      }
      if (request.method === 'POST') {
        const written = handleWrite(state, { campaign, adset, edge, body: { ...request.query, ...request.body } });
        return written.error
          ? refuse(written.error.status, written.error.code, written.error.message, written.error)
          : ok(written.body);
      }
      return refuse(400, 100, `(#100) Unsupported ${request.method} request on ${request.path}`);
    },

    /** The ad account a request is about (whose quota it uses), if any. */
    accountOf(request: RequestInfo): string | undefined {
      const node = request.path.split('/').filter(Boolean)[0];
      if (!node) return undefined;
      if (node.startsWith('act_')) return state.accounts.has(node) ? node : undefined;
      return (
        reportRuns.get(node)?.accountId ?? state.campaign(node)?.accountId ?? state.adset(node)?.campaign.accountId
      );
    },
  };
}
