import { Context } from '@temporalio/activity';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';

/** The ad set of an ad-set budget change, from its business key (lib/names.ts adsetBudgetChange). */
function adsetOfWorkflow(workflowId: string): string | undefined {
  return /^budget-change\/adset-(\d+)\//.exec(workflowId)?.[1];
}

/** The id of the workflow that ran this activity ('' when called outside one, as tests do). */
function callerWorkflowId(): string {
  try {
    return Context.current().info.workflowExecution?.workflowId ?? '';
  } catch {
    return '';
  }
}

/** The day's alerts marked with what became of them: acted on by a budgetChange, or dismissed. */
export function createAlertMarkActivities({ warehouse }: { warehouse: Warehouse }) {
  return {
    /** Links each alert to the budgetChange started (or found running) for it. */
    async markAlertsActed({
      asOf,
      changes,
    }: {
      asOf: string;
      changes: { campaignId: string; adsetId?: string; type: string; workflowId: string }[];
    }): Promise<number> {
      for (const c of changes)
        await warehouse.run(sqlFile('pipeline/mark_alert'), [
          asOf,
          c.campaignId,
          c.type,
          'acted',
          c.workflowId,
          c.adsetId ?? adsetOfWorkflow(c.workflowId) ?? null,
        ]);
      return changes.length;
    },

    /** A proposal that was rejected or expired leaves its alert dismissed, so the report stops showing it as open. */
    async dismissAlert({
      date,
      campaignId,
      type,
      adsetId,
    }: {
      date: string;
      campaignId: string;
      type: string;
      adsetId?: string;
    }): Promise<void> {
      // Runs started by an ad set's alert are keyed by the ad set (their caller may not name it).
      const adset = adsetId ?? adsetOfWorkflow(callerWorkflowId()) ?? null;
      await warehouse.run(sqlFile('pipeline/mark_alert'), [date, campaignId, type, 'dismissed', null, adset]);
    },
  };
}
