import { executeChild, patched, workflowInfo } from '@temporalio/workflow';
import { hourOf, type SyncHour } from '../lib/meta/hour';
import { workflowIds } from '../lib/names';
import { graphPageOptions, proxyOn } from './queues';
import { notifyToday } from './today-notices';
import { syncAdSets, type AdSetSyncResult } from './spend-sync-adsets';
import { runSpendSync, type SpendSyncResult } from './spend-sync-steps';

/** Runs started before this patch read and loaded every account's pages in the parent, one activity per page. */
const CHILD_PER_ACCOUNT = 'spend-sync-child-per-account';
/** Runs started before this patch read campaigns only, no ad sets. */
const ADSET_SYNC = 'adset-sync';
/** Runs started before this patch read every account's "today" in config TZ (the parent's reportDate). */
const ACCOUNT_CLOCK = 'spend-sync-account-clock';
/** Runs started before this patch finished with the snapshot: today's alerts were not judged or sent. */
const TODAY_NOTICES = 'today-notices';

const retryWarehouse = {
  initialInterval: '1 second',
  maximumAttempts: 5,
  nonRetryableErrorTypes: ['ConfigError', 'InvalidInput'],
};
const warehouse = proxyOn('warehouse', { startToCloseTimeout: '1 minute', retry: retryWarehouse });
// A page load reads one file and upserts its rows; a killed warehouse worker is noticed by the
// start-to-close timeout and the load runs again, rewriting the same rows.
const loads = proxyOn('warehouse', {
  startToCloseTimeout: '2 minutes',
  retry: { ...retryWarehouse, maximumAttempts: 20 },
});

const meta = proxyOn('meta', graphPageOptions);
// The steps of runs from before the children: each page read and written by one warehouse activity.
const legacyMeta = proxyOn('warehouse', graphPageOptions);

export interface SpendSyncInput {
  /** The UTC hour to snapshot (YYYY-MM-DDTHH:00:00Z); default: the hour this run started in. */
  hour?: SyncHour;
}

export interface SpendSyncAccountInput {
  hour: SyncHour;
  account: string;
  /** The team's date (config TZ) at that hour; each account reads its own since ACCOUNT_CLOCK. */
  reportDate: string;
}

export interface SpendSyncAccountResult extends Partial<AdSetSyncResult> {
  account: string;
  /** Graph API pages read (campaigns and insights), each exactly once when nothing failed. */
  pages: number;
  campaigns: number;
  insightsRows: number;
}

/**
 * Hourly: every configured ad account's campaigns (budgets, statuses) and today's insights into
 * that hour's snapshot, one child workflow per account (spend-sync/<hour>/<account>) so accounts
 * sync side by side and a slow or rate-limited one holds up nobody. Started by the hourly
 * schedule or `scaleflow sync-spend`.
 */
export async function spendSync(input: SpendSyncInput = {}): Promise<SpendSyncResult> {
  const hour = input.hour ?? hourOf(Date.now());
  if (!patched(CHILD_PER_ACCOUNT)) {
    return runSpendSync(
      {
        metaSyncStart: warehouse.metaSyncStart,
        metaSyncFinish: warehouse.metaSyncFinish,
        metaReadAccount: meta.metaReadAccount,
        metaSyncCampaignsPage: legacyMeta.metaSyncCampaignsPage,
        metaSyncInsightsPage: legacyMeta.metaSyncInsightsPage,
      },
      hour,
    );
  }
  const plan = await warehouse.metaSyncStart({ hour });
  const parentId = workflowInfo().workflowId;
  const accounts = await Promise.all(
    plan.accounts.map((account) =>
      executeChild(spendSyncAccount, {
        workflowId: workflowIds.spendSyncAccount(parentId, hour, account),
        args: [{ hour, account, reportDate: plan.reportDate }],
      }),
    ),
  );
  const summary = await warehouse.metaSyncFinish({ hour });
  if (patched(TODAY_NOTICES)) await notifyToday(hour);
  return { ...summary, reportDate: plan.reportDate, pages: accounts.reduce((n, a) => n + a.pages, 0) };
}

/**
 * One ad account's hour: each Graph page is read by a meta worker into the spool and loaded from
 * there by the warehouse, campaigns before insights (insights fill the campaigns' rows), then the
 * ad sets the same way (spend-sync-adsets.ts). The
 * cursor lives here, so a failed page is the only page read again; history holds only each
 * page's reference, never its rows.
 */
export async function spendSyncAccount({
  hour,
  account,
  reportDate: teamDate,
}: SpendSyncAccountInput): Promise<SpendSyncAccountResult> {
  const { currency, timezone } = await meta.metaReadAccount({ account });
  // The account's "today" is its own time zone's (Tokyo's day starts 14 hours before Los Angeles').
  const reportDate = patched(ACCOUNT_CLOCK)
    ? (await warehouse.metaRecordAccount({ hour, account, currency, timezone })).reportDate
    : teamDate;
  const result: SpendSyncAccountResult = { account, pages: 0, campaigns: 0, insightsRows: 0 };
  let after: string | undefined;
  let page = 0;
  do {
    const spooled = await meta.metaFetchCampaignsPage({ hour, account, currency, reportDate, page: page++, after });
    await loads.metaLoadSpoolPage(spooled.ref);
    result.campaigns += spooled.rows;
    after = spooled.after;
  } while (after);
  do {
    const spooled = await meta.metaFetchInsightsPage({ hour, account, reportDate, page: page++, after });
    await loads.metaLoadSpoolPage(spooled.ref);
    result.insightsRows += spooled.rows;
    after = spooled.after;
  } while (after);
  result.pages = page;
  if (patched(ADSET_SYNC)) {
    const adsets = await syncAdSets(
      {
        metaFetchAudiencesPage: meta.metaFetchAudiencesPage,
        metaFetchAdSetsPage: meta.metaFetchAdSetsPage,
        metaFetchAdSetInsightsPage: meta.metaFetchAdSetInsightsPage,
        metaLoadSpoolPage: loads.metaLoadSpoolPage,
      },
      { hour, account, currency, reportDate },
    );
    Object.assign(result, adsets);
  }
  return result;
}
