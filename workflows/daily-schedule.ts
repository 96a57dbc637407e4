import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { scheduledDate } from '../lib/strategis/pipeline';
import { dateIn } from '../lib/calendar';
import { searchAttributes, workflowIds } from '../lib/names';
import type { dailyPipeline, DailyRunSummary } from './daily-pipeline';

export interface DailyScheduledInput {
  timeZone?: string;
  /** The business key's prefix: runs are `<prefix>/<date>` (tests use their own). */
  idPrefix?: string;
}

export type DailyScheduledResult = DailyRunSummary | { date: string; alreadyRan: string };

/**
 * What the daily Schedule starts. A Schedule names its runs `<id>-<timestamp>`, so this run works
 * out its day from the time it was due and runs that day as `daily/<date>`: the business key a
 * manual `scaleflow run dailyPipeline --date` uses too, so a day is never run twice by accident
 * (and never mails its reports twice).
 */
export async function dailyScheduled(input: DailyScheduledInput = {}): Promise<DailyScheduledResult> {
  const info = workflowInfo();
  const timeZone = input.timeZone ?? 'UTC';
  const date = scheduledDate(
    info.typedSearchAttributes.get(searchAttributes.scheduledStartTime) ?? info.startTime,
    timeZone,
  );
  const workflowId = workflowIds.daily(date, input.idPrefix);
  // A run due on an earlier day (a Schedule backfill, or a catch-up after an outage) loads and
  // decides that day but asks nobody to act on it: its proposals and emails would be stale.
  const backfill = date < dateIn(timeZone, new Date());
  try {
    return await executeChild<typeof dailyPipeline>('dailyPipeline', {
      workflowId,
      args: [{ date, timeZone, ...(backfill ? { backfill } : {}) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { date, alreadyRan: workflowId };
    throw err;
  }
}
