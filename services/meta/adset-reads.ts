import {
  ADSET_FIELDS,
  ADSET_INSIGHTS_FIELDS,
  adsetInsightsWireSchema,
  adsetWireSchema,
  CUSTOM_AUDIENCE_FIELDS,
  customAudienceWireSchema,
  type AdSetInsightsWire,
  type AdSetWire,
  type CustomAudienceWire,
} from '../../lib/meta/adset-wire';
import type { IsoDate } from '../../lib/dates';
import { metaCall } from './failures';
import type { MetaGraph } from './graph';
import { ctx, pageLabel, pageOf, type Page, type SdkCursor, type Settings } from './reads';

/**
 * An ad account's ad sets, its custom audiences (whose `subtype` says what an ad set's targeting
 * reaches) and its level=adset insights, one Graph page at a time through the SDK's cursors, as
 * reads.ts reads campaigns: the caller keeps `after`, so a failed page is the only page asked again.
 */
const paged = (settings: Settings, after?: string): Record<string, unknown> => ({
  limit: settings.META_PAGE_SIZE,
  ...(after ? { after } : {}),
});

export async function readAdSetsPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  after?: string,
): Promise<Page<AdSetWire>> {
  const cursor = await metaCall(
    ctx(settings, `reading ad sets of ${accountId} (${pageLabel(after)})`),
    () =>
      graph.account(accountId).getAdSets(ADSET_FIELDS, paged(settings, after), true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => adsetWireSchema.parse(raw));
}

export async function readCustomAudiencesPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  after?: string,
): Promise<Page<CustomAudienceWire>> {
  const cursor = await metaCall(
    ctx(settings, `reading custom audiences of ${accountId} (${pageLabel(after)})`),
    () =>
      graph
        .account(accountId)
        .getCustomAudiences(CUSTOM_AUDIENCE_FIELDS, paged(settings, after), true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => customAudienceWireSchema.parse(raw));
}

/** One day's delivery per ad set (level=adset), one page. */
export async function readAdSetInsightsPage(
  graph: MetaGraph,
  settings: Settings,
  accountId: string,
  day: IsoDate,
  after?: string,
): Promise<Page<AdSetInsightsWire>> {
  const params = {
    level: 'adset',
    time_range: { since: day, until: day },
    time_increment: 1,
    ...paged(settings, after),
  };
  const cursor = await metaCall(
    ctx(settings, `reading ad-set insights of ${accountId} for ${day} (${pageLabel(after)})`),
    () => graph.account(accountId).getInsights(ADSET_INSIGHTS_FIELDS, params, true) as unknown as Promise<SdkCursor>,
  );
  return pageOf(cursor, (raw) => adsetInsightsWireSchema.parse(raw));
}
