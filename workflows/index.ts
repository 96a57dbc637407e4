export { healthcheck } from './healthcheck';
export { budgetChange } from './budget-change';
