import type { SyncHour } from '../lib/meta/hour';
import type { SpooledPage, SpoolPageRef } from '../lib/meta/spool';

/**
 * One ad account's ad sets for the hour, shared by the spendSyncAccount workflow (steps are
 * activity proxies) and `scaleflow sync-spend` (the activity functions): the custom audiences
 * first (the ad-set pages are classified with them), then the ad sets, then today's ad-set
 * insights, which fill the ad sets' rows. Each page is read into the spool and loaded from it; the
 * cursors live here, so a failed page is the only one read again.
 */
export interface AdSetSyncSteps {
  metaFetchAudiencesPage(input: {
    hour: SyncHour;
    account: string;
    page: number;
    after?: string;
  }): Promise<SpooledPage>;
  metaFetchAdSetsPage(input: {
    hour: SyncHour;
    account: string;
    currency: string;
    reportDate: string;
    audiencePages: number;
    page: number;
    after?: string;
  }): Promise<SpooledPage>;
  metaFetchAdSetInsightsPage(input: {
    hour: SyncHour;
    account: string;
    reportDate: string;
    page: number;
    after?: string;
  }): Promise<SpooledPage>;
  metaLoadSpoolPage(ref: SpoolPageRef): Promise<{ rows: number }>;
}

export interface AdSetSyncResult {
  adsets: number;
  adsetInsightsRows: number;
  /** Graph API pages read for ad sets (custom audiences, ad sets, ad-set insights). */
  adsetPages: number;
}

/** Every page of one edge, in order: `fetch` reads page `page` after `after`; the result's rows summed. */
async function everyPage(
  fetch: (page: number, after?: string) => Promise<SpooledPage>,
  load?: AdSetSyncSteps['metaLoadSpoolPage'],
) {
  let after: string | undefined;
  let page = 0;
  let rows = 0;
  do {
    const spooled = await fetch(page++, after);
    if (load) await load(spooled.ref);
    rows += spooled.rows;
    after = spooled.after;
  } while (after);
  return { pages: page, rows };
}

export async function syncAdSets(
  steps: AdSetSyncSteps,
  { hour, account, currency, reportDate }: { hour: SyncHour; account: string; currency: string; reportDate: string },
): Promise<AdSetSyncResult> {
  const audiences = await everyPage((page, after) => steps.metaFetchAudiencesPage({ hour, account, page, after }));
  const adsets = await everyPage(
    (page, after) =>
      steps.metaFetchAdSetsPage({ hour, account, currency, reportDate, audiencePages: audiences.pages, page, after }),
    steps.metaLoadSpoolPage,
  );
  const insights = await everyPage(
    (page, after) => steps.metaFetchAdSetInsightsPage({ hour, account, reportDate, page, after }),
    steps.metaLoadSpoolPage,
  );
  return {
    adsets: adsets.rows,
    adsetInsightsRows: insights.rows,
    adsetPages: audiences.pages + adsets.pages + insights.pages,
  };
}
