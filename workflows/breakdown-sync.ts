import { ApplicationFailure, ChildWorkflowFailure, executeChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { dateIn } from '../lib/calendar';
import {
  BREAKDOWNS,
  breakdownSyncInputProblem,
  type Breakdown,
  type BreakdownSyncInput,
} from '../lib/meta/breakdown-input';
import { workflowIds } from '../lib/names';
import { graphPageOptions, proxyOn } from './queues';

const retryWarehouse = {
  initialInterval: '1 second',
  maximumAttempts: 5,
  nonRetryableErrorTypes: ['ConfigError', 'InvalidInput'],
};
const warehouse = proxyOn('warehouse', { startToCloseTimeout: '2 minutes', retry: retryWarehouse });

const meta = proxyOn('meta', graphPageOptions);

export interface BreakdownSyncResult {
  account: string;
  date: string;
  timeZone: string;
  /** Graph pages read per breakdown, each once when nothing failed. */
  pages: Record<Breakdown, number>;
  /** Rows Meta gave per breakdown (level=adset, before CBO ad sets are summed into their campaign). */
  rows: Record<Breakdown, number>;
}

/**
 * One account's day of Meta insights by breakdown (age and gender, placement, country, region,
 * hour of the account's day), id breakdown-sync/<account>/<date>. Each breakdown pages on its own
 * (side by side: a rate limit on one holds up no other); a meta worker reads each page into the
 * spool and the warehouse replaces the day's rows of that breakdown from its pages, then records
 * the day once all five are in. A re-run reads the day again and replaces it.
 */
export async function breakdownSync(input: BreakdownSyncInput): Promise<BreakdownSyncResult> {
  const problem = breakdownSyncInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(`breakdownSync input ${problem}`, 'InvalidInput');
  const { account, date } = input;
  const { timezone: timeZone } = await meta.metaReadAccount({ account });
  // Intl, not a TZDate: dateIn is safe in the workflow sandbox (lib/dates.ts).
  const today = dateIn(timeZone, new Date());
  if (date >= today)
    throw ApplicationFailure.nonRetryable(
      `breakdownSync: ${date} has not closed yet in ${account}'s time zone ${timeZone} (today there is ${today})`,
      'InvalidInput',
    );
  const result: BreakdownSyncResult = {
    account,
    date,
    timeZone,
    pages: {} as Record<Breakdown, number>,
    rows: {} as Record<Breakdown, number>,
  };
  await Promise.all(
    BREAKDOWNS.map(async (breakdown) => {
      let after: string | undefined;
      let page = 0;
      let rows = 0;
      do {
        const spooled = await meta.metaFetchBreakdownPage({ day: date, account, breakdown, page: page++, after });
        rows += spooled.rows;
        after = spooled.after;
      } while (after);
      await warehouse.metaLoadBreakdown({ day: date, account, breakdown, pages: page });
      result.pages[breakdown] = page;
      result.rows[breakdown] = rows;
    }),
  );
  await warehouse.metaRecordBreakdownDay({ day: date, account, timeZone });
  return result;
}

export interface BreakdownScheduleInput {
  /** The instant whose yesterday is due (ISO); default: when this run's first task ran. */
  at?: string;
}

export interface BreakdownScheduleResult {
  /** breakdown-sync/<account>/<date> of each child this run started. */
  started: string[];
  /** Children already running (an earlier hour's, still waiting out a rate limit). */
  running: string[];
  /** Children that failed: the next hour tries their day again (it is still not recorded). */
  failed: string[];
}

/**
 * Hourly: for each configured account, its yesterday in its own time zone, unless that day is in
 * meta_breakdown_runs already. So each account's day is read in the first hour after it closes
 * there, and an hour that failed is made up by the next.
 */
export async function breakdownSyncHourly(input: BreakdownScheduleInput = {}): Promise<BreakdownScheduleResult> {
  const at = input.at ?? new Date().toISOString();
  const accounts = await warehouse.metaBreakdownAccounts();
  const zones = await Promise.all(
    accounts.map(async (account) => ({ account, timeZone: (await meta.metaReadAccount({ account })).timezone })),
  );
  const due = await warehouse.metaBreakdownsDue({ at, accounts: zones });
  const result: BreakdownScheduleResult = { started: [], running: [], failed: [] };
  await Promise.all(
    due.map(async ({ account, day }) => {
      const workflowId = workflowIds.breakdownSync(account, day);
      try {
        await executeChild(breakdownSync, {
          workflowId,
          taskQueue: workflowInfo().taskQueue,
          args: [{ account, date: day }],
        });
        result.started.push(workflowId);
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) result.running.push(workflowId);
        else if (err instanceof ChildWorkflowFailure) result.failed.push(workflowId);
        else throw err;
      }
    }),
  );
  for (const ids of Object.values(result)) ids.sort();
  return result;
}
