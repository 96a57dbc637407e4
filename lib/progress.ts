import { formatDuration, intervalToDuration } from 'date-fns';

/** Where a long command is: `done` of `total` units (total unknown for work that is not counted ahead). */
export interface ProgressState {
  label: string;
  /** What is counted, as the line says it: "days simulated", "days loaded". */
  unit: string;
  done: number;
  total?: number;
  elapsedMs: number;
  /** The step under way, for work that goes in steps rather than units. */
  note?: string;
}

/**
 * The time left if the rest goes at the pace so far; undefined before the first unit (no pace yet),
 * when there is no total, and once done.
 */
export function remainingMs(done: number, total: number | undefined, elapsedMs: number): number | undefined {
  if (total === undefined || done <= 0 || done >= total) return undefined;
  return (elapsedMs / done) * (total - done);
}

/** A duration as people say it, to the second: "3 minutes 10 seconds". */
export function spokenDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return (
    formatDuration(intervalToDuration({ start: 0, end: seconds * 1000 }), {
      format: ['hours', 'minutes', 'seconds'],
      zero: false,
    }) || '0 seconds'
  );
}

/** The line a terminal shows while the work runs. */
export function progressLine(s: ProgressState): string {
  const count =
    s.total === undefined
      ? `${s.done} ${s.unit}`
      : `${s.done}/${s.total} ${s.unit} (${Math.floor((100 * s.done) / Math.max(1, s.total))}%)`;
  const left = remainingMs(s.done, s.total, s.elapsedMs);
  const parts = [`${s.label}: ${count}`];
  if (left !== undefined) parts.push(`about ${spokenDuration(left)} left`);
  if (s.note) parts.push(s.note);
  return parts.join(', ');
}

/** The one line a log gets when the work ends. */
export function summaryLine(s: ProgressState): string {
  return `${s.label}: ${s.done} ${s.unit} in ${spokenDuration(s.elapsedMs)}${s.note ? `, ${s.note}` : ''}`;
}
