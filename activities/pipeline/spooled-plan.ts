import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { planKey, readPlan, removePlan, writePlan } from '../../services/decisions/plan-spool';
import { createAlertMarkActivities } from './alert-marks';
import {
  createBudgetPlanActivities,
  type BudgetChangePlan,
  type PipelineDeps,
  type PlannedChange,
} from './budget-plan';

/** What the workflow keeps of a spooled plan: its key and counts, never the proposals. */
export interface SpooledPlan {
  key: string;
  changes: number;
  skipped: BudgetChangePlan['skipped'];
}

/**
 * planBudgetChanges with the changes kept in SPOOL_DIR (services/decisions/plan-spool.ts): the
 * daily pipeline reads them back a page at a time to start its children, and the alerts are
 * marked from the same file, so no activity's input or result grows with the number of proposals.
 */
export function createSpooledPlanActivities(deps: PipelineDeps) {
  const { config } = deps;
  const { planBudgetChanges } = createBudgetPlanActivities(deps);
  const { markAlertsActed } = createAlertMarkActivities(deps);
  return {
    async spoolBudgetChanges({ asOf }: { asOf: string }): Promise<SpooledPlan> {
      const plan = await planBudgetChanges({ asOf });
      // One file per run: a retried attempt writes the same file again rather than another.
      const key = planKey(asOf, Context.current().info.workflowExecution?.runId ?? randomUUID());
      await writePlan(config.SPOOL_DIR, key, plan.changes);
      return { key, changes: plan.changes.length, skipped: plan.skipped };
    },

    async readPlannedChanges({
      key,
      offset,
      limit,
    }: {
      key: string;
      offset: number;
      limit: number;
    }): Promise<PlannedChange[]> {
      const changes = await readPlan<PlannedChange>(config.SPOOL_DIR, key);
      if (!changes) throw ApplicationFailure.nonRetryable(`the budget-change plan ${key} is gone`, 'PlanGone');
      return changes.slice(offset, offset + limit);
    },

    /** markAlertsActed for every change of the plan; removes the plan, which the run no longer reads. */
    async markPlannedAlertsActed({ asOf, key }: { asOf: string; key: string }): Promise<number> {
      const changes = await readPlan<PlannedChange>(config.SPOOL_DIR, key);
      // Gone: an earlier attempt marked them and removed it (marking is idempotent, removal last).
      if (!changes) return 0;
      const marked = await markAlertsActed({
        asOf,
        changes: changes.map((c) => ({
          campaignId: c.proposal.campaignId,
          type: c.proposal.type,
          workflowId: c.workflowId,
        })),
      });
      await removePlan(config.SPOOL_DIR, key);
      return marked;
    },
  };
}
