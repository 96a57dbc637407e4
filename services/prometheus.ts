import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Warehouse } from './warehouse/warehouse';
import { sqlFile } from './warehouse/sql';

/**
 * scaleflow's own Prometheus metrics, one registry per process. Activities count what they do;
 * the worker serves the registry at /metrics next to the Temporal SDK's runtime metrics.
 */
export const registry = new Registry();

export const metrics = {
  rowsIngested: new Counter({
    name: 'scaleflow_rows_ingested_total',
    help: 'strateg.is rows accepted into the warehouse',
    registers: [registry],
  }),
  rowsQuarantined: new Counter({
    name: 'scaleflow_rows_quarantined_total',
    help: 'strateg.is rows quarantined with a reason',
    registers: [registry],
  }),
  alertsRaised: new Counter({
    name: 'scaleflow_alerts_raised_total',
    help: 'scaling alerts raised',
    labelNames: ['type'],
    registers: [registry],
  }),
  budgetWrites: new Counter({
    name: 'scaleflow_budget_writes_total',
    help: 'budget or status writes to Meta by result',
    labelNames: ['result'],
    registers: [registry],
  }),
  apiLatency: new Histogram({
    name: 'scaleflow_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
};

export interface SourceFreshness {
  source: string;
  /** ISO time of the last successful load, or null if there never was one. */
  last_success: string | null;
  age_seconds: number | null;
}

/** When each source (the strateg.is pull, the Meta sync) last loaded successfully, and how long ago. */
export async function sourceFreshness(warehouse: Warehouse, nowMs = Date.now()): Promise<SourceFreshness[]> {
  const rows = await warehouse.all<{ source: string; last_success_ms: number | null }>(sqlFile('ops/source_freshness'));
  return rows.map((r) => ({
    source: r.source,
    last_success: r.last_success_ms === null ? null : new Date(r.last_success_ms).toISOString(),
    age_seconds: r.last_success_ms === null ? null : Math.max(0, Math.round((nowMs - r.last_success_ms) / 1000)),
  }));
}

/** Gauges read from the warehouse at scrape time, so they are right after a restart. */
export function registerWarehouseGauges(warehouse: Warehouse): void {
  for (const name of ['scaleflow_approvals_pending', 'scaleflow_source_age_seconds']) {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  }
  new Gauge({
    name: 'scaleflow_source_age_seconds',
    help: 'seconds since each source last loaded successfully (absent until its first load)',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const f of await sourceFreshness(warehouse))
        if (f.age_seconds !== null) this.set({ source: f.source }, f.age_seconds);
    },
  });
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
