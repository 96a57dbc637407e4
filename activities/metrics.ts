import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Warehouse } from './warehouse/warehouse';
import { sqlFile } from './sql';

/**
 * scaleflow's own Prometheus metrics, one registry per process. Activities count what they do;
 * the worker serves the registry at /metrics next to the Temporal SDK's runtime metrics.
 */
export const registry = new Registry();

export const metrics = {
  rowsIngested: new Counter({ name: 'scaleflow_rows_ingested_total', help: 'strateg.is rows accepted into the warehouse', registers: [registry] }),
  rowsQuarantined: new Counter({ name: 'scaleflow_rows_quarantined_total', help: 'strateg.is rows quarantined with a reason', registers: [registry] }),
  alertsRaised: new Counter({ name: 'scaleflow_alerts_raised_total', help: 'scaling alerts raised', labelNames: ['type'], registers: [registry] }),
  budgetWrites: new Counter({ name: 'scaleflow_budget_writes_total', help: 'budget or status writes to Meta by result', labelNames: ['result'], registers: [registry] }),
  apiLatency: new Histogram({
    name: 'scaleflow_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
};

/** Approvals pending is read from the audit log at scrape time, so it is right after a restart. */
export function registerWarehouseGauges(warehouse: Warehouse): void {
  if (registry.getSingleMetric('scaleflow_approvals_pending')) registry.removeSingleMetric('scaleflow_approvals_pending');
  new Gauge({
    name: 'scaleflow_approvals_pending',
    help: 'budget changes waiting for an approver',
    registers: [registry],
    async collect() {
      const row = await warehouse.one<{ n: number }>(sqlFile('approvals/pending_count'));
      this.set(row?.n ?? 0);
    },
  });
}
