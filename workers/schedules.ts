import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../lib/config';

/**
 * Every Temporal Schedule scaleflow runs, in one registry so `scaleflow schedules apply` can create
 * or update them all idempotently. Each feature adds its own entry here.
 */
export interface ScheduleDefinition {
  scheduleId: string;
  /** One line for ops, shown in the Web UI as the schedule's note. */
  note: string;
  spec: ScheduleOptions['spec'];
  workflowType: string;
  /** Schedules append the scheduled time to this prefix to form each run's workflow id. */
  workflowIdPrefix: string;
  args: unknown[];
  catchupWindow: string;
}

export function scheduleDefinitions(config: Config): ScheduleDefinition[] {
  return [
    {
      // Every hour on the hour (UTC); the run snapshots the hour it starts in. A run still going
      // (waiting out a rate limit) makes the next one skip rather than pile up.
      scheduleId: 'spend-sync-hourly',
      note: 'Meta spend, budgets and statuses of every ad account into the hourly snapshot (spendSync)',
      spec: { intervals: [{ every: '1 hour' }] },
      workflowType: 'spendSync',
      workflowIdPrefix: 'spend-sync',
      args: [{}],
      catchupWindow: '1 hour',
    },
    {
      // Each account's day closes at its own midnight: hourly, each run starts the breakdown sync of
      // every account whose yesterday (in its zone) is not in meta_breakdown_runs yet.
      scheduleId: 'breakdown-sync-hourly',
      note: "Meta breakdowns of each ad account's yesterday in its own time zone, once (breakdownSyncHourly -> breakdown-sync/<account>/<day>)",
      spec: { intervals: [{ every: '1 hour' }] },
      workflowType: 'breakdownSyncHourly',
      workflowIdPrefix: 'breakdown-sync-hourly',
      args: [{}],
      catchupWindow: '1 hour',
    },
    dailyPipelineSchedule(config),
    rulesEvaluationSchedule(config),
  ];
}

/**
 * One evaluator for every rule, every RULES_EVALUATE_EVERY; each rule's check_every makes the
 * evaluator skip it until it is due. A run still going makes the next one skip (overlap SKIP).
 */
export function rulesEvaluationSchedule(config: Config): ScheduleDefinition {
  return {
    scheduleId: 'rules-evaluation',
    note: `user-defined rules (${config.RULES_DIR}) evaluated every ${config.RULES_EVALUATE_EVERY / 60_000} min, each when its check_every is due (rulesEvaluation)`,
    spec: { intervals: [{ every: config.RULES_EVALUATE_EVERY }] },
    workflowType: 'rulesEvaluation',
    workflowIdPrefix: 'rules-evaluation',
    args: [
      {
        settings: {
          approvalTimeoutMs: config.APPROVAL_TIMEOUT,
          outcomeDelayMs: config.OUTCOME_DELAY,
          dryRun: config.DRY_RUN,
        },
      },
    ],
    catchupWindow: '1 hour',
  };
}

/**
 * The daily pipeline at DAILY_PIPELINE_AT in TZ. The run reads its day from its scheduled time in
 * TZ, so a catch-up run (within a day) still loads the day it was due for.
 */
export function dailyPipelineSchedule(config: Config): ScheduleDefinition {
  const [hour, minute] = config.DAILY_PIPELINE_AT.split(':').map(Number) as [number, number];
  return {
    scheduleId: 'daily-pipeline',
    note: `the day's pull, decisions, proposals and reports (dailyPipeline as daily/<date>) every day at ${config.DAILY_PIPELINE_AT} ${config.TZ}`,
    spec: { calendars: [{ hour, minute }], timezone: config.TZ },
    workflowType: 'dailyScheduled',
    workflowIdPrefix: 'daily-scheduled',
    args: [{ timeZone: config.TZ, idPrefix: 'daily' }],
    catchupWindow: '1 day',
  };
}

export interface AppliedSchedule {
  scheduleId: string;
  result: 'created' | 'updated';
}

/** Creates each schedule, or updates it in place when it exists; safe to run any number of times. */
export async function applySchedules(
  client: Client,
  config: Config,
  definitions = scheduleDefinitions(config),
): Promise<AppliedSchedule[]> {
  const applied: AppliedSchedule[] = [];
  for (const def of definitions) {
    const action = {
      type: 'startWorkflow' as const,
      workflowType: def.workflowType,
      workflowId: def.workflowIdPrefix,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: def.args,
    };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: def.catchupWindow };
    try {
      await client.schedule.create({
        scheduleId: def.scheduleId,
        spec: def.spec,
        action,
        policies,
        state: { note: def.note },
      });
      applied.push({ scheduleId: def.scheduleId, result: 'created' });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(def.scheduleId).update((previous) => ({
        ...previous,
        spec: def.spec,
        action,
        policies: { ...previous.policies, ...policies },
        state: { ...previous.state, note: def.note },
      }));
      applied.push({ scheduleId: def.scheduleId, result: 'updated' });
    }
  }
  return applied;
}
