// Where an approval's time goes, read from the workflow's own history: the server stamps every
// event and local activity markers carry the worker's schedule and completion times, so the gaps
// are time spent in Temporal (a workflow task, a queue wait) or in an activity. Used by
// test/bench/approval.ts.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

const tsMs = (t: Timestamp): number => Number(t?.seconds?.toString() ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
const at = (event: HistoryEvent): number => {
  if (!event.eventTime) throw new Error(`history event ${event.eventId} has no time`);
  return tsMs(event.eventTime);
};
const id = (event: HistoryEvent) => Number(event.eventId);

interface LocalActivityRun {
  type: string;
  scheduledMs: number;
  completedMs: number;
}

/** The local activities a workflow task recorded, from core's markers (JSON in the `data` payload). */
function localActivities(events: HistoryEvent[]): LocalActivityRun[] {
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details?.data?.payloads?.[0]?.data;
      if (!data) throw new Error(`local activity marker ${e.eventId} has no data`);
      const marker = JSON.parse(Buffer.from(data).toString('utf8')) as {
        activity_type: string;
        original_schedule_time: Timestamp;
        complete_time: Timestamp;
      };
      return {
        type: marker.activity_type,
        scheduledMs: tsMs(marker.original_schedule_time),
        completedMs: tsMs(marker.complete_time),
      };
    });
}

/** Named durations (ms) from the click to the moment the sandbox applied the budget. */
export type Phases = Record<string, number>;

/**
 * Splits click -> written into: the approval page's work until the workflow task carrying the
 * Update starts; that task (the Update handler, any local activities it ran, its completion); then
 * per activity the workflow task that scheduled it (from the end of the last step it waited for),
 * its wait in the queue and its run. Activities run at once overlap, so rows do not add up. The
 * write's run ends when the sandbox applied the budget, not when the activity reported back.
 */
export function approvalPhases(events: HistoryEvent[], clickAtMs: number, writtenAtMs: number): Phases {
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  if (!accepted) throw new Error('no accepted Update in the history');
  const before = events.filter((e) => id(e) < id(accepted));
  const taskStarted = before.findLast((e) => e.workflowTaskStartedEventAttributes);
  const taskCompleted = before.findLast((e) => e.workflowTaskCompletedEventAttributes);
  if (!taskStarted || !taskCompleted) throw new Error('no workflow task before the accepted Update');
  const phases: Phases = {
    "page: token, status query, until the Update's workflow task starts": at(taskStarted) - clickAtMs,
  };

  const nextTask = events.find((e) => e.workflowTaskStartedEventAttributes && id(e) > id(accepted));
  const inTask = localActivities(events.filter((e) => id(e) > id(accepted) && (!nextTask || id(e) < id(nextTask))));
  if (inTask.length) {
    phases['that task: Update handler until its local activities start'] =
      Math.min(...inTask.map((l) => l.scheduledMs)) - at(taskStarted);
    for (const l of inTask) phases[`${l.type} (local activity, in that task)`] = l.completedMs - l.scheduledMs;
    phases['that task: from its last local activity to completed'] =
      at(taskCompleted) - Math.max(...inTask.map((l) => l.completedMs));
  } else {
    phases['that task: Update handler, task completed'] = at(taskCompleted) - at(taskStarted);
  }

  const completions: HistoryEvent[] = [];
  const byScheduledId = (
    kind: 'activityTaskStartedEventAttributes' | 'activityTaskCompletedEventAttributes',
    scheduledId: HistoryEvent['eventId'],
  ) => events.find((e) => e[kind] && String(e[kind]!.scheduledEventId) === String(scheduledId));
  for (const scheduled of events.filter((e) => e.activityTaskScheduledEventAttributes && id(e) > id(accepted))) {
    const name = scheduled.activityTaskScheduledEventAttributes!.activityType?.name ?? '?';
    const started = byScheduledId('activityTaskStartedEventAttributes', scheduled.eventId);
    const completed = byScheduledId('activityTaskCompletedEventAttributes', scheduled.eventId);
    if (!started) throw new Error(`${name} (event ${scheduled.eventId}) has no start in the history`);
    const attempt = started.activityTaskStartedEventAttributes!.attempt ?? 1;
    const label = attempt > 1 ? `${name} (attempt ${attempt})` : name;
    const waitedFor = completions.filter((c) => id(c) < id(scheduled)).map(at);
    phases[`${label}: workflow task to schedule it`] = at(scheduled) - Math.max(at(taskCompleted), ...waitedFor);
    phases[`${label}: queue wait`] = at(started) - at(scheduled);
    if (name === 'applyBudgetChange') {
      phases[`${label}: run until the sandbox applied it`] = writtenAtMs - at(started);
      break;
    }
    if (!completed) throw new Error(`${name} (event ${scheduled.eventId}) has no completion in the history`);
    phases[`${label}: run`] = at(completed) - at(started);
    completions.push(completed);
  }
  return phases;
}
