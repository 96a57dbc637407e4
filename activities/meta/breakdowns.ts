import { ApplicationFailure } from '@temporalio/activity';
import { dateIn, yesterdayOf, type IsoDate } from '../../lib/dates';
import {
  breakdownPageRefSchema,
  type Breakdown,
  type BreakdownPageRef,
  type SpooledBreakdownPage,
} from '../../lib/meta/breakdowns';
import { attended } from '../../services/meta/attended';
import { loadBreakdownDay, recordedBreakdownDays } from '../../services/meta/breakdown-load';
import { readBreakdownPage, removeBreakdownDay, writeBreakdownPage } from '../../services/meta/breakdowns';
import { sqlFile } from '../../services/warehouse/sql';
import type { SyncDeps } from './sync';

/**
 * The daily breakdown sync's steps (workflows/breakdown-sync.ts). A meta worker reads one Graph
 * page of one breakdown into the spool; the warehouse loads a breakdown's pages at once, replacing
 * the account's day, and records the day when all five are in. Rows never travel through history.
 */
export interface BreakdownDue {
  account: string;
  day: IsoDate;
  timeZone: string;
}

function checkedRef(raw: BreakdownPageRef): BreakdownPageRef {
  const parsed = breakdownPageRefSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw ApplicationFailure.nonRetryable(`breakdown page ${issue.path.join('.')}: ${issue.message}`, 'InvalidInput');
  }
  return parsed.data;
}

/** The account's yesterday at `at`, in its own zone. */
function yesterdayIn(timeZone: string, at: Date): IsoDate {
  try {
    return yesterdayOf(dateIn(timeZone, at));
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `time zone ${JSON.stringify(timeZone)}: ${(err as Error).message}`,
      'InvalidInput',
    );
  }
}

export function createBreakdownActivities({ config, warehouse, graph }: SyncDeps) {
  return {
    /** The configured accounts, or why the breakdown sync cannot run (non-retryable). */
    async metaBreakdownAccounts(): Promise<string[]> {
      if (!config.META_ACCESS_TOKEN)
        throw ApplicationFailure.nonRetryable(
          'META_ACCESS_TOKEN is not set: the breakdown sync cannot reach Meta (run `scaleflow dev` for the local sandbox)',
          'ConfigError',
        );
      if (config.META_AD_ACCOUNT_IDS.length === 0)
        throw ApplicationFailure.nonRetryable('META_AD_ACCOUNT_IDS is empty: no ad account to sync', 'ConfigError');
      return config.META_AD_ACCOUNT_IDS;
    },

    /**
     * Each account's yesterday in its own zone at `at` (a day that has closed there), unless that
     * day's breakdowns are recorded already.
     */
    async metaBreakdownsDue({
      at,
      accounts,
    }: {
      at: string;
      accounts: { account: string; timeZone: string }[];
    }): Promise<BreakdownDue[]> {
      const instant = new Date(at);
      if (Number.isNaN(instant.getTime()))
        throw ApplicationFailure.nonRetryable(`at ${JSON.stringify(at)}: not an instant`, 'InvalidInput');
      const wanted = accounts.map(({ account, timeZone }) => ({
        account,
        timeZone,
        day: yesterdayIn(timeZone, instant),
      }));
      const recorded = await recordedBreakdownDays(warehouse, wanted);
      return wanted.filter((w) => !recorded.has(`${w.account}/${w.day}`));
    },

    async metaFetchBreakdownPage(input: BreakdownPageRef & { after?: string }): Promise<SpooledBreakdownPage> {
      const ref = checkedRef({ day: input.day, account: input.account, breakdown: input.breakdown, page: input.page });
      const page = await attended(readBreakdownPage(graph(), config, ref.account, ref.day, ref.breakdown, input.after));
      await writeBreakdownPage(config.SPOOL_DIR, { ref, rows: page.rows });
      return { ref, rows: page.rows.length, after: page.after };
    },

    /** Every spooled page of one breakdown in place of the account's day in its table. */
    async metaLoadBreakdown(input: {
      day: IsoDate;
      account: string;
      breakdown: Breakdown;
      pages: number;
    }): Promise<{ rows: number }> {
      const ref = checkedRef({ ...input, page: Math.max(input.pages - 1, 0) });
      return loadBreakdownDay(warehouse, config.SPOOL_DIR, { ...ref, pages: input.pages });
    },

    /** All five are in: the day is recorded (a later hourly run skips it) and its pages removed. */
    async metaRecordBreakdownDay({ day, account, timeZone }: BreakdownDue): Promise<void> {
      checkedRef({ day, account, breakdown: 'hour', page: 0 });
      await warehouse.run(sqlFile('meta/breakdowns/record_run'), [day, account, timeZone]);
      await removeBreakdownDay(config.SPOOL_DIR, day, account);
    },
  };
}
