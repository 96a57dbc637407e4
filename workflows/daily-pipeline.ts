import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { summaryLine } from '../lib/strategis/ingest';
import {
  scheduledDate,
  summarise,
  type DailyPipelineInput,
  type DailyPipelineSummary,
  type LoadedFile,
} from '../lib/strategis/pipeline';

// Temporal sets this on every run a Schedule starts: the time it was due, even for a catch-up run.
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

// The pull is stateless HTTP: timeouts and 5xx retry with backoff, a 429 waits its Retry-After,
// a refused token or a wrong URL fails at once.
const pull = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '10 seconds',
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['StrategisAuthError', 'StrategisRequestError'],
  },
});

const warehouse = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['NotAStrategisReport'] },
});

/**
 * The daily pipeline for one day (id daily/<date>): pull the strateg.is report over HTTP when it is
 * configured, load it, load the inbox. Later steps (decisions, budget changes, the report) follow
 * these; each step is one named activity and the result carries counts and batch ids, never rows.
 */
export async function dailyPipeline(input: DailyPipelineInput = {}): Promise<DailyPipelineSummary> {
  const date = input.date ?? scheduledDate(
    workflowInfo().typedSearchAttributes.get(scheduledStartTime) ?? workflowInfo().startTime,
    input.timeZone ?? 'UTC',
  );
  const loaded: LoadedFile[] = [];

  const pulled = await pull.fetchStrategisReport({ asOf: date });
  if (pulled) {
    const result = await warehouse.loadStrategisFile({ path: pulled.path, name: pulled.name, source: 'http', asOf: date });
    loaded.push({ ...summaryLine(result), source: 'http' });
  }

  const inbox = await warehouse.loadStrategisInbox({ asOf: date });
  for (const file of inbox) if (file.result) loaded.push({ ...summaryLine(file.result), source: 'inbox' });
  const rejected = inbox.filter((f) => f.rejected).map((f) => ({ file: f.file, reason: f.rejected! }));

  return summarise(date, pulled && { start: pulled.start, end: pulled.end, pages: pulled.pages }, loaded, rejected);
}
