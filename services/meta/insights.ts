import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Config } from '../../lib/config';
import type { IsoDate } from '../../lib/dates';
import type { InsightsWire } from '../../lib/meta/wire';
import type { MetaGraph } from './graph';
import {
  countCampaigns,
  readInsightsPage,
  readReportInsightsPage,
  readReportRun,
  startInsightsReport,
  type Page,
  type ReportRunState,
} from './reads';

/**
 * A day's campaign insights for the spend sync, page by page. Small accounts are read directly
 * (GET /act_<id>/insights); an account with at least META_ASYNC_INSIGHTS_CAMPAIGNS campaigns goes
 * through Meta's asynchronous report run, as Meta asks for large reads: POST the job, poll it until
 * "Job Completed", then page its rows. The polling heartbeats the run's id and progress, so a
 * retried or moved activity polls the same run instead of starting another. The pages of a run
 * carry its id in their cursor (`report:<id>:<after>`), so the caller keeps one opaque cursor.
 */
type Settings = Pick<
  Config,
  | 'META_PAGE_SIZE'
  | 'META_REQUEST_TIMEOUT'
  | 'META_RATE_LIMIT_MIN_WAIT'
  | 'META_ASYNC_INSIGHTS_CAMPAIGNS'
  | 'META_REPORT_POLL_INTERVAL'
>;

/** What the activity heartbeats while a report run is in flight (and reads back on a retry). */
export interface ReportProgress {
  account: string;
  day: string;
  reportRunId: string;
  status: string;
  percent: number;
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // the sync-spend CLI runs the steps outside an activity
  }
}

/**
 * Inside an activity: heartbeats every second while `work` runs (with the latest details, so a
 * detail-less beat never erases them), and gives up at once when Temporal cancels it.
 */
async function attended<T>(work: Promise<T>, details: () => ReportProgress | undefined = () => undefined): Promise<T> {
  const ctx = activityContext();
  if (!ctx) return work;
  ctx.heartbeat(details());
  const beat = setInterval(() => ctx.heartbeat(details()), 1000);
  try {
    return await Promise.race([work, ctx.cancelled]);
  } finally {
    clearInterval(beat);
  }
}

const ENDED = new Set(['Job Failed', 'Job Skipped']);

/** The report run of `account` for `day`, polled to "Job Completed"; its id. */
export async function awaitInsightsReport(
  graph: MetaGraph,
  settings: Settings,
  account: string,
  day: IsoDate,
): Promise<string> {
  const ctx = activityContext();
  const previous = ctx?.info.heartbeatDetails as ReportProgress | undefined;
  let progress: ReportProgress | undefined =
    previous?.account === account && previous.day === day ? previous : undefined;
  const details = () => progress;
  const note = (run: ReportRunState) =>
    (progress = { account, day, reportRunId: run.id, status: run.status, percent: run.percent });

  if (progress) {
    // A retry: the run an earlier attempt started may still be running, or be done already.
    const run = await attended(readReportRun(graph, settings, progress.reportRunId), details);
    if (ENDED.has(run.status)) progress = undefined;
    else note(run);
  }
  if (!progress)
    note({
      id: await attended(startInsightsReport(graph, settings, account, day)),
      status: 'Job Not Started',
      percent: 0,
    });
  for (;;) {
    const run = note(await attended(readReportRun(graph, settings, progress!.reportRunId), details));
    if (run.status === 'Job Completed') return run.reportRunId;
    if (ENDED.has(run.status)) {
      // Heartbeated as ended: the retry sees it and starts a new run.
      ctx?.heartbeat(run);
      throw ApplicationFailure.retryable(
        `Meta's insights report run ${run.reportRunId} for ${account} on ${day} ended "${run.status}" at ${run.percent}%; the retry starts a new run`,
        'MetaReportFailed',
      );
    }
    await attended(
      ctx ? ctx.sleep(settings.META_REPORT_POLL_INTERVAL) : sleep(settings.META_REPORT_POLL_INTERVAL),
      details,
    );
  }
}

const REPORT_CURSOR = /^report:(\d+):(.*)$/;
const reportCursor = (reportRunId: string, after: string | undefined) =>
  after === undefined ? undefined : `report:${reportRunId}:${after}`;

/** One page of `account`'s insights for `day`; `after` is the cursor the previous page gave. */
export async function readDayInsightsPage(
  graph: MetaGraph,
  settings: Settings,
  account: string,
  day: IsoDate,
  after?: string,
): Promise<Page<InsightsWire>> {
  const report = after === undefined ? undefined : REPORT_CURSOR.exec(after);
  let reportRunId = report?.[1];
  if (!reportRunId && after === undefined && settings.META_ASYNC_INSIGHTS_CAMPAIGNS > 0) {
    const campaigns = await attended(countCampaigns(graph, settings, account));
    if (campaigns >= settings.META_ASYNC_INSIGHTS_CAMPAIGNS)
      reportRunId = await awaitInsightsReport(graph, settings, account, day);
  }
  if (!reportRunId) return attended(readInsightsPage(graph, settings, account, day, after));
  const page = await attended(readReportInsightsPage(graph, settings, reportRunId, report?.[2] || undefined));
  return { rows: page.rows, after: reportCursor(reportRunId, page.after) };
}
