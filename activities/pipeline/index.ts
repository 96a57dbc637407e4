import type { BudgetChangeSettings } from '../../lib/approvals/proposal';
import { Context } from '@temporalio/activity';
import { sqlFile } from '../../services/warehouse/sql';
import { evaluateDay, type DayEvaluation } from '../../services/decisions/evaluate-day';
import { createAlertMarkActivities } from './alert-marks';
import { createBudgetPlanActivities, type PipelineDeps } from './budget-plan';
import { createSpooledPlanActivities } from './spooled-plan';

export type { BudgetChangePlan, PipelineDeps, PlannedChange } from './budget-plan';
export type { SpooledPlan } from './spooled-plan';

/**
 * The daily pipeline's middle steps: store the day's decisions and alerts, turn each actionable
 * alert into a budget-change proposal (sized from Meta's live budget), and mark the alerts the
 * workflow started a budgetChange for. The workflow carries only the proposals: a day has tens
 * of alerts, never thousands of rows.
 */
export function createPipelineActivities(deps: PipelineDeps) {
  const { config, warehouse } = deps;
  const activities = {
    async evaluateDay({ asOf }: { asOf: string }): Promise<DayEvaluation> {
      return evaluateDay(warehouse, config, asOf);
    },

    /** Settings come from config at run time; as an activity result they are recorded, so replays agree. */
    async budgetChangeSettings(): Promise<BudgetChangeSettings> {
      return {
        approvalTimeoutMs: config.APPROVAL_TIMEOUT,
        outcomeDelayMs: config.OUTCOME_DELAY,
        dryRun: config.DRY_RUN,
        ...(config.SLACK_CHANNEL && config.SLACK_BOT_TOKEN ? { slackChannel: true as const } : {}),
      };
    },

    /**
     * Waits (a minute at most) until the budget changes just started have emailed their approvers,
     * so the morning report that follows carries their approve links. Returns those still not there.
     * Only runs started before each child signalled its parent (decide-and-propose.ts) call it.
     */
    async awaitApprovalRequests({
      workflowIds,
      timeoutMs = 60_000,
    }: {
      workflowIds: string[];
      timeoutMs?: number;
    }): Promise<string[]> {
      const ctx = Context.current();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const done = new Set(
          (
            await warehouse.all<{ workflow_id: string }>(sqlFile('pipeline/approval_requests_recorded'), [
              JSON.stringify(workflowIds),
            ])
          ).map((r) => r.workflow_id),
        );
        const missing = workflowIds.filter((id) => !done.has(id));
        if (missing.length === 0 || Date.now() >= deadline) return missing;
        ctx.heartbeat(missing.length);
        await ctx.sleep(250);
      }
    },
  };
  return {
    ...activities,
    ...createBudgetPlanActivities(deps),
    ...createAlertMarkActivities(deps),
    ...createSpooledPlanActivities(deps),
  };
}
