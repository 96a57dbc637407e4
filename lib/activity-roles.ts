/**
 * Which task queue each activity runs on: one table, read by the workflows (each proxy names its
 * role, and the compiler keeps it to that role's activities) and by the workers (`scaleflow worker
 * --role` registers exactly its rows). Activity queues sit beside the workflows' queue:
 * TEMPORAL_TASK_QUEUE=scaleflow gives scaleflow-warehouse, scaleflow-meta and scaleflow-io.
 *
 * - warehouse: the one process that owns the DuckDB file. Every activity that reads or writes it
 *   runs here, including the few that also reach out (the guardrail recheck reads Meta's live
 *   budget, report emails and rule actions are built from warehouse rows), since DuckDB admits one
 *   process and their rows never travel through history.
 * - meta: Graph API reads and writes, stateless, any number of replicas, rate limited task-queue wide.
 * - io: strateg.is fetch, approval emails and Slack messages; stateless.
 */
export const ACTIVITY_ROLES = ['warehouse', 'meta', 'io'] as const;
export type ActivityRole = (typeof ACTIVITY_ROLES)[number];
export const WORKER_ROLES = [...ACTIVITY_ROLES, 'all'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export const activityRoles = {
  probeWarehouse: 'warehouse',

  appendAudit: 'warehouse',
  recheckProposal: 'warehouse',
  checkOutcome: 'warehouse',
  resolveApprovers: 'io',
  resolveApprovalChannels: 'io',
  requestApproval: 'io',
  requestSlackApproval: 'io',
  // SLACK_CHANNEL posts: built from warehouse rows and recorded there once each, like the report emails.
  postDayToSlack: 'warehouse',
  postTodayNoticesToSlack: 'warehouse',
  applyBudgetChange: 'meta',
  // A calibration's threshold change (workflows/threshold-change.ts).
  resolveOwnerApprovers: 'io',
  requestThresholdApproval: 'io',
  writeOwnerThreshold: 'warehouse',
  calibrationProposals: 'warehouse',

  fetchStrategisReport: 'io',
  loadStrategisFile: 'warehouse',
  loadStrategisInbox: 'warehouse',

  metaSyncStart: 'warehouse',
  metaSyncFinish: 'warehouse',
  metaLoadSpoolPage: 'warehouse',
  metaRecordAccount: 'warehouse',
  metaReadAccount: 'meta',
  metaFetchCampaignsPage: 'meta',
  metaFetchInsightsPage: 'meta',
  metaFetchAudiencesPage: 'meta',
  metaFetchAdSetsPage: 'meta',
  metaFetchAdSetInsightsPage: 'meta',
  // Runs of spendSync started before the per-account children read and load in one activity.
  metaSyncCampaignsPage: 'warehouse',
  metaSyncInsightsPage: 'warehouse',
  metaBreakdownAccounts: 'warehouse',
  metaBreakdownsDue: 'warehouse',
  metaFetchBreakdownPage: 'meta',
  metaLoadBreakdown: 'warehouse',
  metaRecordBreakdownDay: 'warehouse',
  // Today's alerts after each hourly sync: judged, kept and emailed where the rows are.
  recordTodayNotices: 'warehouse',
  sendTodayNotices: 'warehouse',

  evaluateDay: 'warehouse',
  budgetChangeSettings: 'warehouse',
  planBudgetChanges: 'warehouse',
  markAlertsActed: 'warehouse',
  spoolBudgetChanges: 'warehouse',
  readPlannedChanges: 'warehouse',
  markPlannedAlertsActed: 'warehouse',
  awaitApprovalRequests: 'warehouse',
  dismissAlert: 'warehouse',

  renderReport: 'warehouse',
  listReportDeliveries: 'warehouse',
  sendReportEmail: 'warehouse',

  evaluateRules: 'warehouse',
  ruleProposal: 'warehouse',
  runRuleAction: 'warehouse',
  finishRuleAction: 'warehouse',
  finishRuleEvaluation: 'warehouse',
} as const satisfies Record<string, ActivityRole>;

export type ActivityName = keyof typeof activityRoles;
export type ActivitiesOf<R extends ActivityRole> = {
  [K in ActivityName]: (typeof activityRoles)[K] extends R ? K : never;
}[ActivityName];

/** The roles a worker of this role serves: `all` is every one, in one process (dev, demo, tests). */
export function rolesOf(role: WorkerRole): ActivityRole[] {
  return role === 'all' ? [...ACTIVITY_ROLES] : [role];
}

export function activityNamesOf(role: ActivityRole): ActivityName[] {
  return (Object.keys(activityRoles) as ActivityName[]).filter((name) => activityRoles[name] === role);
}

/** The activity task queue of a role, named after the workflows' queue. */
export function activityQueue(workflowQueue: string, role: ActivityRole): string {
  return `${workflowQueue}-${role}`;
}
