import type { Client } from '@temporalio/client';
import { registry, sourceFreshness } from '../../services/prometheus';
import type { Config } from '../../lib/config';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { healthAnswerSchema } from '../../lib/api/answers';
import { route, type Route } from './router';

async function probe<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Health for load balancers and ops, and metrics for Prometheus: open, like every scrape target. */
export function opsRoutes({
  config,
  warehouse,
  temporal,
}: {
  config: Config;
  warehouse: Warehouse;
  temporal: Client;
}): Route[] {
  return [
    route({
      method: 'GET',
      path: '/healthz',
      summary: "Health: DuckDB, Temporal, and each source's last load and age (503 when a restart could help)",
      access: 'public',
      responses: { 200: healthAnswerSchema, 503: healthAnswerSchema },
      async handler() {
        const [duck, tmprl, sources] = await Promise.all([
          probe(() => warehouse.one('SELECT 1 AS ok')),
          probe(() => temporal.workflowService.getSystemInfo({})),
          probe(() => sourceFreshness(warehouse)),
        ]);
        // Only what a restart could fix fails the check; a stale source is shown (and alertable
        // through scaleflow_source_age_seconds) but restarting the worker would not refresh it.
        const ok = duck.ok && tmprl.ok;
        return {
          status: ok ? 200 : 503,
          json: {
            status: ok ? 'ok' : 'degraded',
            duckdb: duck.ok ? 'open' : duck.error,
            temporal: tmprl.ok ? 'reachable' : tmprl.error,
            sources: sources.ok
              ? Object.fromEntries(sources.value.map(({ source, ...f }) => [source, f]))
              : sources.error,
          },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/metrics',
      summary: 'Prometheus metrics (text exposition format)',
      access: 'public',
      responses: { 200: 'text/plain' },
      async handler() {
        let sdk = '';
        if (config.SDK_METRICS_ADDRESS) {
          // The SDK's runtime metrics live on their own exporter; one scrape target serves both.
          const res = await probe(async () => (await fetch(`http://${config.SDK_METRICS_ADDRESS}/metrics`)).text());
          sdk = res.ok ? res.value : `# temporal sdk metrics unavailable: ${res.error}\n`;
        }
        return { text: `${await registry.metrics()}\n${sdk}`, headers: { 'content-type': registry.contentType } };
      },
    }),
  ];
}
