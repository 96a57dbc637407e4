import type { PageResult, SyncPlan, SyncSummary } from '../activities/meta/sync';
import type { SyncHour } from '../lib/meta/hour';
import { syncAdSets, type AdSetSyncResult, type AdSetSyncSteps } from './spend-sync-adsets';

/**
 * The spend sync's order of steps, shared by the spendSync workflow (steps are activity proxies)
 * and `scaleflow sync-spend` (steps are the activity functions). The cursor of each account's
 * next page lives here, not in an activity, so a retried page is the only page read again.
 */
export interface SpendSyncSteps {
  metaSyncStart(input: { hour: SyncHour }): Promise<SyncPlan>;
  metaReadAccount(input: { account: string }): Promise<{ currency: string; timezone: string }>;
  /** Keeps the account's currency and zone; its own date at that hour. Unset: runs from before (config TZ's date). */
  metaRecordAccount?(input: {
    hour: SyncHour;
    account: string;
    currency: string;
    timezone: string;
  }): Promise<{ reportDate: string }>;
  metaSyncCampaignsPage(input: {
    hour: SyncHour;
    account: string;
    currency: string;
    reportDate: string;
    after?: string;
  }): Promise<PageResult>;
  metaSyncInsightsPage(input: {
    hour: SyncHour;
    account: string;
    reportDate: string;
    after?: string;
  }): Promise<PageResult>;
  metaSyncFinish(input: { hour: SyncHour }): Promise<SyncSummary>;
}

export interface SpendSyncResult extends SyncSummary, Partial<AdSetSyncResult> {
  reportDate: string;
  /** Graph API pages read (campaigns and insights), each exactly once when nothing failed. */
  pages: number;
}

/** `adsetSteps`: each account's ad sets too (the CLI); the workflow passes none (runs from before its children). */
export async function runSpendSync(
  steps: SpendSyncSteps,
  hour: SyncHour,
  adsetSteps?: AdSetSyncSteps,
): Promise<SpendSyncResult> {
  const plan = await steps.metaSyncStart({ hour });
  let pages = 0;
  const adsets: AdSetSyncResult = { adsets: 0, adsetInsightsRows: 0, adsetPages: 0 };
  // Accounts are independent (a rate limit on one does not hold up the others); pages within an
  // account follow each other, campaigns before insights (insights fill the campaigns' rows).
  await Promise.all(
    plan.accounts.map(async (account) => {
      const { currency, timezone } = await steps.metaReadAccount({ account });
      const reportDate = steps.metaRecordAccount
        ? (await steps.metaRecordAccount({ hour, account, currency, timezone })).reportDate
        : plan.reportDate;
      let after: string | undefined;
      do {
        after = (await steps.metaSyncCampaignsPage({ hour, account, currency, reportDate, after })).after;
        pages++;
      } while (after);
      do {
        after = (await steps.metaSyncInsightsPage({ hour, account, reportDate, after })).after;
        pages++;
      } while (after);
      if (adsetSteps) {
        const synced = await syncAdSets(adsetSteps, { hour, account, currency, reportDate });
        adsets.adsets += synced.adsets;
        adsets.adsetInsightsRows += synced.adsetInsightsRows;
        adsets.adsetPages += synced.adsetPages;
      }
    }),
  );
  const summary = await steps.metaSyncFinish({ hour });
  return { ...summary, reportDate: plan.reportDate, pages, ...(adsetSteps ? adsets : {}) };
}
