import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import { proxyOn } from './queues';
import { decideAndPropose, type DecideSummary } from './steps/decide-and-propose';
import { proposeThresholds, type ThresholdProposalSummary } from './steps/propose-thresholds';
import { reportAndDeliver, type ReportSummary } from './steps/report-and-deliver';
import { searchAttributes } from '../lib/names';
import { summaryLine } from '../lib/strategis/summary-line';
import {
  dailyPipelineInputProblem,
  scheduledDate,
  summarise,
  type DailyPipelineInput,
  type DailyPipelineSummary,
  type LoadedFile,
} from '../lib/strategis/pipeline';

// The pull is stateless HTTP: timeouts and 5xx retry with backoff, a 429 waits its Retry-After,
// a refused token or a wrong URL fails at once.
const pull = proxyOn('io', {
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '10 seconds',
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['StrategisAuthError', 'StrategisRequestError'],
  },
});

const warehouseRetry = {
  initialInterval: '5 seconds',
  maximumAttempts: 5,
  nonRetryableErrorTypes: ['NotAStrategisReport'],
};
const warehouse = proxyOn('warehouse', {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: warehouseRetry,
});
// The loads heartbeat every few seconds while they run (activities/strategis), so a warehouse
// worker killed mid-load is noticed within half a minute, not five, and the load runs again on the
// restarted one; a file whose load committed is recognised by its sha256 and changes nothing.
const loads = proxyOn('warehouse', {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: warehouseRetry,
});

export interface DailyRunSummary extends DailyPipelineSummary {
  decisions: DecideSummary;
  /** Null on a backfill: no report is mailed for a past day. */
  report: ReportSummary | null;
  /** Threshold changes calibration proposed today (runs started before THRESHOLD_PROPOSALS have none). */
  thresholds?: ThresholdProposalSummary;
}

/** Newer runs start a thresholdChange per threshold calibration proposes, after the budget changes. */
const THRESHOLD_PROPOSALS = 'calibration-threshold-proposals';

/**
 * The daily pipeline for one day (id daily/<date>): pull the strateg.is report over HTTP when it is
 * configured, load it, load the inbox; then the day's decisions and alerts, one budgetChange per
 * actionable alert, and the reports by email. Each step is one named activity (or a child) and the
 * result carries counts, ids and paths, never rows.
 */
export async function dailyPipeline(input: DailyPipelineInput = {}): Promise<DailyRunSummary> {
  // A bad date (2026-11-31) fails the run at once, before anything is pulled or loaded.
  const problem = dailyPipelineInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(`dailyPipeline input ${problem}`, 'InvalidInput');
  const date =
    input.date ??
    scheduledDate(
      workflowInfo().typedSearchAttributes.get(searchAttributes.scheduledStartTime) ?? workflowInfo().startTime,
      input.timeZone ?? 'UTC',
    );
  const loaded: LoadedFile[] = [];

  const pulled = await pull.fetchStrategisReport({ asOf: date });
  if (pulled) {
    const result = await loads.loadStrategisFile({ path: pulled.path, name: pulled.name, source: 'http', asOf: date });
    loaded.push({ ...summaryLine(result), source: 'http' });
  }

  const inbox = await loads.loadStrategisInbox({ asOf: date });
  for (const file of inbox) if (file.result) loaded.push({ ...summaryLine(file.result), source: 'inbox' });
  const rejected = inbox.filter((f) => f.rejected).map((f) => ({ file: f.file, reason: f.rejected! }));

  const load = summarise(
    date,
    pulled && { start: pulled.start, end: pulled.end, pages: pulled.pages },
    loaded,
    rejected,
  );

  if (input.backfill) {
    const stored = await decideOnly(date);
    return { ...load, decisions: stored, report: null };
  }
  const decisions = await decideAndPropose(date);
  const thresholds = patched(THRESHOLD_PROPOSALS) ? await proposeThresholds(date) : undefined;
  const report = await reportAndDeliver(date);
  return { ...load, decisions, report, ...(thresholds && { thresholds }) };
}

async function decideOnly(asOf: string): Promise<DecideSummary> {
  const evaluation = await warehouse.evaluateDay({ asOf });
  return { campaigns: evaluation.campaigns, alerts: evaluation.alerts, proposed: [], alreadyProposed: [], skipped: [] };
}
