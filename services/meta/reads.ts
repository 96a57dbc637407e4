import type { Config } from '../../lib/config';
import { CAMPAIGN_FIELDS, campaignWireSchema, INSIGHTS_FIELDS, insightsWireSchema, type CampaignWire, type InsightsWire } from '../../lib/meta/wire';
import type { IsoDate } from '../../lib/dates';
import { metaCall } from './failures';
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

type Settings = Pick<Config, 'META_PAGE_SIZE' | 'META_REQUEST_TIMEOUT' | 'META_RATE_LIMIT_MIN_WAIT'>;

interface SdkCursor extends Array<{ exportAllData(): Record<string, unknown> }> {
  paging?: { cursors?: { after?: string }; next?: string };
  hasNext(): boolean;
}

function pageOf<T>(cursor: SdkCursor, parse: (raw: unknown) => T): Page<T> {
  const rows = cursor.map((item) => parse(item.exportAllData()));
  return { rows, after: cursor.hasNext() ? cursor.paging?.cursors?.after : undefined };
}

const ctx = (settings: Settings, what: string) => ({ what, timeoutMs: settings.META_REQUEST_TIMEOUT, minWaitMs: settings.META_RATE_LIMIT_MIN_WAIT });
const pageLabel = (after?: string) => (after ? `page after ${after}` : 'first page');

export async function readAccount(graph: MetaGraph, settings: Settings, accountId: string): Promise<{ currency: string; timezone: string }> {
  const account = await metaCall(ctx(settings, `reading ad account ${accountId}`), () => graph.account(accountId).read(['currency', 'timezone_name']));
  const data = account.exportAllData() as { currency?: string; timezone_name?: string };
  if (!data.currency) throw new Error(`Meta gave no currency for ${accountId}`);
  return { currency: data.currency, timezone: data.timezone_name ?? 'UTC' };
}

export async function readCampaignsPage(graph: MetaGraph, settings: Settings, accountId: string, after?: string): Promise<Page<CampaignWire>> {
  const params: Record<string, unknown> = { limit: settings.META_PAGE_SIZE, ...(after ? { after } : {}) };
  // fetchFirstPage=true: the SDK answers with a promise of the first page's cursor.
  const cursor = await metaCall(ctx(settings, `reading campaigns of ${accountId} (${pageLabel(after)})`), () =>
    graph.account(accountId).getCampaigns(CAMPAIGN_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => campaignWireSchema.parse(raw));
}

/** Today's (or any one day's) delivery per campaign, level=campaign, one page. */
export async function readInsightsPage(graph: MetaGraph, settings: Settings, accountId: string, day: IsoDate, after?: string): Promise<Page<InsightsWire>> {
  const params: Record<string, unknown> = {
    level: 'campaign',
    time_range: { since: day, until: day },
    time_increment: 1,
    limit: settings.META_PAGE_SIZE,
    ...(after ? { after } : {}),
  };
  const cursor = await metaCall(ctx(settings, `reading insights of ${accountId} for ${day} (${pageLabel(after)})`), () =>
    graph.account(accountId).getInsights(INSIGHTS_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => insightsWireSchema.parse(raw));
}
