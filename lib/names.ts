import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Names shared by workflows, workers and the CLI: task queues, workflow ids (business keys, so a
 * re-trigger finds the existing run) and search attributes.
 */
export const DEFAULT_TASK_QUEUE = 'scaleflow';

export const workflowIds = {
  healthcheck: (probe: string) => `healthcheck/${probe}`,
  /** `prefix` lets a test keep its runs apart from the real days'. */
  daily: (date: string, prefix = 'daily') => `${prefix}/${date}`,
  spendSync: (hour: string) => `spend-sync/${hour}`,
  /**
   * One account's part of an hour: `spend-sync/<hour>/<account>` under the hour's key. A parent
   * with a key of its own (`spend-sync/<hour>/again`) puts its children under that key; a
   * Schedule's run (`spend-sync-<time>`) under the hour's.
   */
  spendSyncAccount: (parentId: string, hour: string, account: string) =>
    `${parentId.startsWith(`spend-sync/${hour}`) ? parentId : `spend-sync/${hour}`}/${account}`,
  /** One account's day of Meta breakdowns (the account's own calendar day); a re-run replaces it. */
  breakdownSync: (account: string, day: string) => `breakdown-sync/${account}/${day}`,
  budgetChange: (campaignId: string, date: string, type: string) => `budget-change/${campaignId}/${date}/${type}`,
  /** An ad set's change (METRICS.md "Levels"): its own key, so a campaign and its ad sets can each change. */
  adsetBudgetChange: (adsetId: string, date: string, type: string) => `budget-change/adset-${adsetId}/${date}/${type}`,
  /** A calibration's proposed threshold change for one owner: once per owner, ROAS band and day. */
  thresholdChange: (owner: string, date: string, band: string) =>
    `threshold-change/${owner.trim().toLowerCase()}/${date}/${band.replace('<', 'lt')}`,
  /** A manual rules evaluation; the schedule's runs are `rules-evaluation-<scheduled time>`. */
  rulesEvaluation: (key: string) => `rules/${key}`,
};

/** Typed keys (the custom ones are registered by scripts/temporal.mjs and the deployment's setup). */
export const searchAttributes = {
  owner: defineSearchAttributeKey('ScaleflowOwner', SearchAttributeType.KEYWORD),
  campaign: defineSearchAttributeKey('ScaleflowCampaign', SearchAttributeType.KEYWORD),
  changeType: defineSearchAttributeKey('ScaleflowChangeType', SearchAttributeType.KEYWORD),
  state: defineSearchAttributeKey('ScaleflowState', SearchAttributeType.KEYWORD),
  /** Temporal sets this on every run a Schedule starts: the time it was due, even for a catch-up run. */
  scheduledStartTime: defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME),
};

export function temporalUiLink(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
