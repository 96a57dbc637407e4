export { healthcheck } from './healthcheck';
export { budgetChange } from './budget-change';
export { spendSync } from './spend-sync';
