import { dateIn, isIsoDate, type IsoDate } from '../calendar';
import type { IngestSummary } from './ingest';

/** dailyPipeline's input: a date for a manual run; a scheduled run derives it from its scheduled time. */
export interface DailyPipelineInput {
  date?: IsoDate;
  /** The account time zone the schedule runs in, so "today" is the schedule's local day. */
  timeZone?: string;
  /**
   * A backfill of a past day: load it and store its decisions, but propose no budget changes and
   * mail no report, since both would ask people to act on a day long gone.
   */
  backfill?: boolean;
}

/**
 * What is wrong with a dailyPipeline input (`date: a date as YYYY-MM-DD`), or undefined. Checked
 * without zod: the workflow checks it, and workflow code stays free of zod (lib/calendar.ts).
 */
export function dailyPipelineInputProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return '(root): expected an object';
  const { date, timeZone, backfill } = input as Record<string, unknown>;
  if (date !== undefined && (typeof date !== 'string' || !isIsoDate(date))) return 'date: a date as YYYY-MM-DD';
  if (timeZone !== undefined && typeof timeZone !== 'string') return 'timeZone: expected a string';
  if (backfill !== undefined && typeof backfill !== 'boolean') return 'backfill: expected true or false';
  return undefined;
}

export interface LoadedFile extends IngestSummary {
  source: 'http' | 'inbox';
}

export interface DailyPipelineSummary {
  /** as_of: the day the pipeline runs for (its data ends the day before). */
  date: IsoDate;
  /** The HTTP pull's window, or null when STRATEGIS_REPORT_URL is not set. */
  pulled: { start: IsoDate; end: IsoDate; pages: number } | null;
  loaded: LoadedFile[];
  /** Inbox files that were not strateg.is reports (moved to rejected/), with the reason. */
  rejected: { file: string; reason: string }[];
  totals: { accepted: number; quarantined: number; skipped: number; restated: number };
  batchIds: string[];
}

/** The local calendar day of a scheduled start: a 06:00 America/New_York run is that day, not UTC's. */
export function scheduledDate(scheduledAt: Date, timeZone: string): IsoDate {
  return dateIn(timeZone, scheduledAt);
}

export function summarise(
  date: IsoDate,
  pulled: DailyPipelineSummary['pulled'],
  loaded: LoadedFile[],
  rejected: DailyPipelineSummary['rejected'],
): DailyPipelineSummary {
  const totals = { accepted: 0, quarantined: 0, skipped: 0, restated: 0 };
  for (const f of loaded) {
    totals.accepted += f.accepted;
    totals.quarantined += f.quarantined;
    totals.skipped += f.skipped;
    totals.restated += f.restated;
  }
  return { date, pulled, loaded, rejected, totals, batchIds: loaded.map((f) => f.batch_id) };
}
