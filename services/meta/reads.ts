import { ApplicationFailure } from '@temporalio/activity';
import type { FacebookAdsApiBatch } from 'facebook-nodejs-business-sdk';
import type { Config } from '../../lib/config';
import {
  CAMPAIGN_FIELDS,
  campaignWireSchema,
  INSIGHTS_FIELDS,
  insightsWireSchema,
  type CampaignWire,
  type InsightsWire,
} from '../../lib/meta/wire';
import type { IsoDate } from '../../lib/dates';
import { metaCall, toMetaFailure } from './failures';
import type { MetaGraph } from './graph';

/**
 * One Graph API page at a time, through the SDK's cursors: the caller keeps `after` (in the
 * workflow), so a page that fails is the only page asked again.
 */
export interface Page<T> {
  rows: T[];
  /** The cursor of the next page; undefined on the last page. */
  after?: string;
}

export type Settings = Pick<Config, 'META_PAGE_SIZE' | 'META_REQUEST_TIMEOUT' | 'META_RATE_LIMIT_MIN_WAIT'>;

export interface SdkCursor extends Array<{ exportAllData(): Record<string, unknown> }> {
  paging?: { cursors?: { after?: string }; next?: string };
  hasNext(): boolean;
}

export function pageOf<T>(cursor: SdkCursor, parse: (raw: unknown) => T): Page<T> {
  const rows = cursor.map((item) => parse(item.exportAllData()));
  return { rows, after: cursor.hasNext() ? cursor.paging?.cursors?.after : undefined };
}

export const ctx = (settings: Settings, what: string) => ({
  what,
  timeoutMs: settings.META_REQUEST_TIMEOUT,
  minWaitMs: settings.META_RATE_LIMIT_MIN_WAIT,
});
export const pageLabel = (after?: string) => (after ? `page after ${after}` : 'first page');

export async function readAccount(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
): Promise<{ currency: string; timezone: string }> {
  const account = await metaCall(ctx(settings, `reading ad account ${accountId}`), () =>
    graph.account(accountId).read(['currency', 'timezone_name']),
  );
  const data = account.exportAllData() as { currency?: string; timezone_name?: string };
  if (!data.currency) throw new Error(`Meta gave no currency for ${accountId}`);
  return { currency: data.currency, timezone: data.timezone_name ?? 'UTC' };
}

export async function readCampaignsPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  after?: string,
): Promise<Page<CampaignWire>> {
  const params: Record<string, unknown> = { limit: settings.META_PAGE_SIZE, ...(after ? { after } : {}) };
  // fetchFirstPage=true: the SDK answers with a promise of the first page's cursor.
  const cursor = await metaCall(
    ctx(settings, `reading campaigns of ${accountId} (${pageLabel(after)})`),
    () => graph.account(accountId).getCampaigns(CAMPAIGN_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => campaignWireSchema.parse(raw));
}

/** Today's (or any one day's) delivery per campaign, level=campaign, one page. */
export async function readInsightsPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  day: IsoDate,
  after?: string,
): Promise<Page<InsightsWire>> {
  const params: Record<string, unknown> = {
    level: 'campaign',
    time_range: { since: day, until: day },
    time_increment: 1,
    limit: settings.META_PAGE_SIZE,
    ...(after ? { after } : {}),
  };
  const cursor = await metaCall(
    ctx(settings, `reading insights of ${accountId} for ${day} (${pageLabel(after)})`),
    () => graph.account(accountId).getInsights(INSIGHTS_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => insightsWireSchema.parse(raw));
}

/** Meta answers at most this many calls in one batch request. */
export const MAX_BATCH = 50;

export type CampaignRead =
  | { id: string; campaign: CampaignWire; /** act_<id> the campaign belongs to. */ accountId: string }
  | { id: string; failure: ApplicationFailure };

/** What the SDK hands a batch item's callbacks (APIResponse). */
interface BatchItemResponse {
  body: unknown;
  status: number;
  headers?: { name: string; value: string }[];
}

/**
 * A failed batch item as a FacebookRequestError that failures.ts reads: the SDK leaves a batch
 * item's error wrapped (`{error: {...}}`) and its headers as Meta's [{name, value}] list.
 */
function itemError(response: BatchItemResponse) {
  const body = (response.body ?? {}) as { error?: { message?: string } };
  return {
    name: 'FacebookRequestError',
    status: Number(response.status) || null,
    message: body.error?.message ?? 'batch item failed',
    response: body.error ?? null,
    headers: Object.fromEntries((response.headers ?? []).map((h) => [h.name, h.value])),
  };
}

const READ_FIELDS = [...CAMPAIGN_FIELDS, 'account_id'];

/** One batch request (at most MAX_BATCH ids); each id answered or failed on its own. */
async function readBatch(graph: MetaGraph, settings: Settings, ids: string[]): Promise<Map<string, CampaignRead>> {
  const reads = new Map<string, CampaignRead>();
  const batch = graph.batch();
  for (const id of ids) {
    const what = `reading campaign ${id} in a batch`;
    batch.add(
      'GET',
      [id],
      { fields: READ_FIELDS.join(',') },
      undefined,
      (response: BatchItemResponse) => {
        const parsed = campaignWireSchema.safeParse(response.body);
        const accountId = (response.body as { account_id?: string }).account_id;
        reads.set(
          id,
          parsed.success && accountId
            ? { id, campaign: parsed.data, accountId: `act_${accountId}` }
            : {
                id,
                failure: ApplicationFailure.nonRetryable(
                  `Meta's answer for campaign ${id} is not a campaign: ${JSON.stringify(response.body).slice(0, 200)}`,
                  'MetaRequestInvalid',
                ),
              },
        );
      },
      (response: BatchItemResponse) =>
        reads.set(id, {
          id,
          failure: toMetaFailure(itemError(response), { what, minWaitMs: settings.META_RATE_LIMIT_MIN_WAIT }),
        }),
    );
  }
  // Meta answers null for an item it could not finish in time; the SDK hands those back as a new
  // batch, asked again (twice at most) before they count as unanswered.
  let rest = await metaCall(
    ctx(settings, `reading ${ids.length} campaigns in one batch`),
    () => batch.execute() as Promise<FacebookAdsApiBatch | null>,
  );
  for (let again = 0; rest && again < 2; again++) {
    const pending: FacebookAdsApiBatch = rest;
    rest = await metaCall(
      ctx(settings, `reading ${pending._batch.length} campaigns Meta did not answer in the last batch`),
      () => pending.execute() as Promise<FacebookAdsApiBatch | null>,
    );
  }
  for (const id of ids)
    if (!reads.has(id))
      reads.set(id, {
        id,
        failure: ApplicationFailure.retryable(
          `Meta gave no answer for campaign ${id} in three batches`,
          'MetaUnavailable',
        ),
      });
  return reads;
}

const isTransient = (read: CampaignRead) =>
  'failure' in read && (read.failure.type === 'MetaUnavailable' || read.failure.type === 'MetaTimeout');

/**
 * Budgets and statuses of many campaigns by id through Graph API batch requests, MAX_BATCH a
 * request: 120 campaigns are 3 HTTP requests instead of 120. One campaign's error does not fail
 * the others: a transient one (Meta's 5xx, code 1/2) is asked once more in the next batch; any
 * other (gone, no permission, rate limited) comes back as that campaign's failure, typed as
 * failures.ts types a single call's, for the caller to record or retry. A failure of the whole
 * request (token, network) throws as a single call's does.
 */
export async function readCampaignsBatch(
  graph: MetaGraph,
  settings: Settings,
  ids: readonly string[],
): Promise<CampaignRead[]> {
  const unique = [...new Set(ids)];
  const results = new Map<string, CampaignRead>();
  let pending = unique;
  for (let round = 0; round < 2 && pending.length; round++) {
    const again: string[] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH) {
      for (const [id, read] of await readBatch(graph, settings, pending.slice(i, i + MAX_BATCH))) {
        if (round === 0 && isTransient(read)) again.push(id);
        else results.set(id, read);
      }
    }
    pending = again;
  }
  return unique.map((id) => results.get(id)!);
}

/** How many campaigns an account has (summary=total_count on the campaigns edge, one row read). */
export async function countCampaigns(graph: MetaGraph, settings: Settings, accountId: string): Promise<number> {
  const cursor = await metaCall(
    ctx(settings, `counting campaigns of ${accountId}`),
    () =>
      graph.account(accountId).getCampaigns(['id'], { limit: 1, summary: 'total_count' }, true) as unknown as Promise<
        SdkCursor & { summary?: { total_count?: number } }
      >,
  );
  const total = cursor.summary?.total_count;
  if (typeof total !== 'number')
    throw ApplicationFailure.retryable(`Meta gave no total_count for the campaigns of ${accountId}`, 'MetaUnavailable');
  return total;
}

const insightsParams = (day: IsoDate) => ({
  level: 'campaign',
  time_range: { since: day, until: day },
  time_increment: 1,
});

export interface ReportRunState {
  id: string;
  /** Meta's async_status: Job Not Started, Job Started, Job Running, Job Completed, Job Failed, Job Skipped. */
  status: string;
  percent: number;
}

/** Starts Meta's asynchronous insights job for one day (POST /act_<id>/insights); its report_run_id. */
export async function startInsightsReport(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  day: IsoDate,
): Promise<string> {
  const run = await metaCall(ctx(settings, `starting the insights report of ${accountId} for ${day}`), () =>
    graph.account(accountId).getInsightsAsync(INSIGHTS_FIELDS, insightsParams(day)),
  );
  // The SDK builds the AdReportRun from `data.id`, but Meta answers `{report_run_id}`.
  const id = (run.exportAllData() as { report_run_id?: string; id?: string }).report_run_id ?? run.id;
  if (!id)
    throw ApplicationFailure.retryable(
      `Meta gave no report_run_id for the insights of ${accountId}`,
      'MetaUnavailable',
    );
  return String(id);
}

export async function readReportRun(
  graph: MetaGraph,
  settings: Settings,
  reportRunId: string,
): Promise<ReportRunState> {
  const run = await metaCall(ctx(settings, `reading insights report run ${reportRunId}`), () =>
    graph.reportRun(reportRunId).read(['async_status', 'async_percent_completion']),
  );
  const data = run.exportAllData() as { async_status?: string; async_percent_completion?: number };
  return {
    id: reportRunId,
    status: data.async_status ?? 'Job Not Started',
    percent: Number(data.async_percent_completion ?? 0),
  };
}

/** One page of a completed report run's rows (GET /<report_run_id>/insights). */
export async function readReportInsightsPage(
  graph: MetaGraph,
  settings: Settings,
  reportRunId: string,
  after?: string,
): Promise<Page<InsightsWire>> {
  const params: Record<string, unknown> = { limit: settings.META_PAGE_SIZE, ...(after ? { after } : {}) };
  const cursor = await metaCall(
    ctx(settings, `reading insights report run ${reportRunId} (${pageLabel(after)})`),
    () => graph.reportRun(reportRunId).getInsights(INSIGHTS_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => insightsWireSchema.parse(raw));
}
