import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { dateIn, type IsoDate } from '../../../lib/dates';
import { temporalUiLink, workflowIds } from '../../../lib/names';
import { backfillDates } from '../../../lib/ops/backfill';
import type { Config } from '../../../lib/config';
import type { DailyRunSummary } from '../../../workflows/daily-pipeline';
import { loadConfigOrExit } from '../../config-env';
import { connectClient } from '../../temporal-client';
import { defineCommand, parseCommandArgs } from '../args';
import { startProgress } from '../progress';
import { UsageError } from '../usage';

export const backfillSpec = defineCommand({
  name: 'backfill',
  options: {
    from: { type: 'string', value: 'DATE', help: 'the first day' },
    to: { type: 'string', value: 'DATE', help: 'the last day (before today in TZ)' },
  },
  about: `Runs dailyPipeline for each day from --from to --to (inclusive, oldest first, all before today in
TZ) as a backfill: workflow id daily/<date>, input { date, backfill: true }. Each run pulls and
loads the day like the daily run and stores its decisions, but proposes no budget change and
mails no report: nobody is asked to act on a day long gone.

A day that already has a daily/<date> run (scheduled, manual or an earlier backfill, running or
finished) is found, not run again; a day whose run failed, was cancelled or terminated is run
again. Days run one at a time, oldest first, as the schedule would have run them: the worker's one
DuckDB file takes one writer, and each day's evaluation expires the open alerts of the days before
it. One JSON line per day as it finishes, then a summary line; exit 1 when any day failed (the
others still run). The worker must be running.`,
});

type DayStatus = 'completed' | 'failed';

interface DayLine {
  date: IsoDate;
  workflowId: string;
  /** started: this command started it; existing: a run with that id was already there. */
  start: 'started' | 'existing';
  status: DayStatus;
  accepted?: number;
  campaigns?: number;
  alerts?: number;
  error?: string;
  ui: string;
}

/** "Workflow execution failed" wraps "Activity task failed" wraps what went wrong: say that. */
function rootCause(err: Error): string {
  const chain: string[] = [];
  for (let e: (Error & { cause?: unknown }) | undefined = err; e; e = e.cause instanceof Error ? e.cause : undefined)
    chain.push(e.message);
  return chain.at(-1)!;
}

async function runDay(client: Client, config: Config, date: IsoDate): Promise<DayLine> {
  const workflowId = workflowIds.daily(date);
  let start: DayLine['start'] = 'started';
  try {
    await client.workflow.start('dailyPipeline', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ date, timeZone: config.TZ, backfill: true }],
      // A finished day is kept (its reports may have been mailed); a failed one may run again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    start = 'existing';
  }
  const handle = client.workflow.getHandle(workflowId);
  const ui = temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, workflowId);
  try {
    const summary = (await handle.result()) as DailyRunSummary;
    return {
      date,
      workflowId,
      start,
      status: 'completed',
      accepted: summary.totals.accepted,
      campaigns: summary.decisions.campaigns,
      alerts: summary.decisions.alerts,
      ui,
    };
  } catch (err) {
    return { date, workflowId, start, status: 'failed', error: rootCause(err as Error), ui };
  }
}

/** `scaleflow backfill --from D --to D`: one daily/<date> backfill run per day, in date order. */
export async function backfill(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(backfillSpec, args);
  if (!values.from || !values.to)
    throw new UsageError('backfill needs --from DATE and --to DATE, e.g. --from 2025-09-01 --to 2025-09-30');
  const config = loadConfigOrExit();
  const dates = backfillDates(values.from, values.to, dateIn(config.TZ, new Date()));
  if (!Array.isArray(dates)) throw new UsageError(dates.problem);

  const client = await connectClient(config);
  const lines: DayLine[] = [];
  const progress = startProgress({ label: 'scaleflow backfill', unit: 'days loaded', total: dates.length });
  try {
    for (const date of dates) {
      progress.note(`running ${date}`);
      const line = await runDay(client, config, date);
      lines.push(line);
      console.log(JSON.stringify(line));
      progress.update(lines.length);
    }
  } finally {
    progress.finish(`${lines.filter((l) => l.status === 'failed').length} failed`);
    await client.connection.close();
  }
  const count = (pred: (l: DayLine) => boolean) => lines.filter(pred).length;
  const summary = {
    days: lines.length,
    started: count((l) => l.start === 'started'),
    existing: count((l) => l.start === 'existing'),
    completed: count((l) => l.status === 'completed'),
    failed: lines
      .filter((l) => l.status === 'failed')
      .map((l) => l.date)
      .sort(),
  };
  console.log(JSON.stringify(summary));
  return summary.failed.length > 0 ? 1 : 0;
}
