// Where an approval's time goes, read from the workflow's own history: the server stamps every
// event, so the gap between two events is time spent in Temporal (a workflow task, a queue wait)
// or in an activity. Used by test/bench/approval.ts.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const epochMs = (event: HistoryEvent): number => {
  const t = event.eventTime;
  if (!t) throw new Error(`history event ${event.eventId} has no time`);
  return Number(t.seconds?.toString() ?? 0) * 1000 + (t.nanos ?? 0) / 1e6;
};

/** Named durations (ms) from the click to the moment the sandbox applied the budget. */
export type Phases = Record<string, number>;

/**
 * Splits click -> written into: the approval page's work up to the Update being accepted, then per
 * activity the workflow task that scheduled it (from the previous step's end), its wait in the
 * queue, and its run. The write's run ends when the sandbox applied the budget, not when the
 * activity reported back.
 */
export function approvalPhases(events: HistoryEvent[], clickAtMs: number, writtenAtMs: number): Phases {
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  if (!accepted) throw new Error('no accepted Update in the history');
  const phases: Phases = { 'page: token, status query, Update accepted': epochMs(accepted) - clickAtMs };
  let previousEnd = epochMs(accepted);
  const byScheduledId = (kind: 'activityTaskStartedEventAttributes' | 'activityTaskCompletedEventAttributes', id: HistoryEvent['eventId']) =>
    events.find((e) => e[kind] && String(e[kind]!.scheduledEventId) === String(id));
  for (const scheduled of events.filter((e) => e.activityTaskScheduledEventAttributes && Number(e.eventId) > Number(accepted.eventId))) {
    const name = scheduled.activityTaskScheduledEventAttributes!.activityType?.name ?? '?';
    const started = byScheduledId('activityTaskStartedEventAttributes', scheduled.eventId);
    const completed = byScheduledId('activityTaskCompletedEventAttributes', scheduled.eventId);
    if (!started) throw new Error(`${name} (event ${scheduled.eventId}) has no start in the history`);
    const attempt = started.activityTaskStartedEventAttributes!.attempt ?? 1;
    const label = attempt > 1 ? `${name} (attempt ${attempt})` : name;
    phases[`${label}: workflow task to schedule it`] = epochMs(scheduled) - previousEnd;
    phases[`${label}: queue wait`] = epochMs(started) - epochMs(scheduled);
    if (name === 'applyBudgetChange') {
      phases[`${label}: run until the sandbox applied it`] = writtenAtMs - epochMs(started);
      break;
    }
    if (!completed) throw new Error(`${name} (event ${scheduled.eventId}) has no completion in the history`);
    phases[`${label}: run`] = epochMs(completed) - epochMs(started);
    previousEnd = epochMs(completed);
  }
  return phases;
}
