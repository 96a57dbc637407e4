export { healthcheck } from './healthcheck';
export { budgetChange } from './budget-change';
export { spendSync, spendSyncAccount } from './spend-sync';
export { dailyPipeline } from './daily-pipeline';
export { rulesEvaluation } from './rules-evaluation';
export { dailyScheduled } from './daily-schedule';
export { breakdownSync, breakdownSyncHourly } from './breakdown-sync';
export { thresholdChange } from './threshold-change';
