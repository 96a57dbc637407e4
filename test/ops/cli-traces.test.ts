import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../lib/healthcheck';
import { startOtlpReceiver } from '../support/otlp-receiver';
import { spawnCli, spawnWorker, waitFor } from '../support/processes';
import { TEST_PAYLOAD_KEYS, testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { cachedWorkflowBundle } from '../support/workflow-bundle';

/**
 * A bundle built with `workers/build-bundle.ts --traced` carries the tracing interceptors: these
 * workers run such a prebuilt bundle, as a deployment that exports traces does.
 */
describe('a prebuilt traced workflow bundle', () => {
  it(
    'runs quietly where tracing is off: its workflow spans are dropped, not logged as errors',
    { timeout: 180_000 },
    async () => {
      const bundle = await cachedWorkflowBundle(undefined, { traced: true });
      const base = testConfig({ WORKFLOW_BUNDLE_PATH: bundle });
      const client = await testClient(base);
      const worker = spawnWorker(workerProcessEnv(base, { LOG_LEVEL: 'INFO' }));
      try {
        const handle = await client.workflow.start('healthcheck', {
          taskQueue: base.TEMPORAL_TASK_QUEUE,
          workflowId: `untraced-${base.TEMPORAL_TASK_QUEUE}`,
          args: [{ note: 'no collector' }],
        });
        expect(((await handle.result()) as ProbeResult).note).toBe('no collector');
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
        await client.connection.close();
      }
      expect(worker.output()).toContain('worker stopped');
      expect(worker.output()).not.toContain('unregistered external sink');
    },
  );

  it(
    'with OTEL_EXPORTER_OTLP_ENDPOINT, `scaleflow run` starts one trace the worker carries on, flushed before the CLI exits',
    { timeout: 180_000 },
    async () => {
      const otlp = await startOtlpReceiver();
      const bundle = await cachedWorkflowBundle(undefined, { traced: true });
      const base = testConfig({ WORKFLOW_BUNDLE_PATH: bundle });
      const client = await testClient(base);
      const worker = spawnWorker(
        workerProcessEnv(base, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100' }),
      );
      try {
        const cli = spawnCli(['run', 'healthcheck', '--note', 'traced from the CLI'], {
          TEMPORAL_ADDRESS: base.TEMPORAL_ADDRESS,
          TEMPORAL_TASK_QUEUE: base.TEMPORAL_TASK_QUEUE,
          PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          // A minute: the CLI's span reaches the collector only because the CLI flushes before it exits.
          OTEL_BSP_SCHEDULE_DELAY: '60000',
        });
        expect(await cli.exited).toBe(0);
        const { workflowId } = JSON.parse(cli.output().trim().split('\n').at(-1)!) as { workflowId: string };
        await client.workflow.getHandle(workflowId).result();
        const start = otlp.spans.find((s) => s.name === 'StartWorkflow:healthcheck');
        expect(start, 'the CLI exported its span before exiting').toBeDefined();
        expect(start!.parentSpanId ?? '').toBe('');

        // From the activity's span up to the root, once every span of the way has arrived.
        const chainUp = () => {
          const trace = otlp.spans.filter((x) => x.traceId === start!.traceId);
          const byId = new Map(trace.map((x) => [x.spanId, x]));
          const names: string[] = [];
          let s = trace.find((x) => x.name === 'RunActivity:probeWarehouse');
          for (; s; s = byId.get(s.parentSpanId ?? '')) names.unshift(s.name);
          return names;
        };
        const chain = await waitFor(
          () => chainUp()[0] === 'StartWorkflow:healthcheck' && chainUp(),
          30_000,
          "the worker's spans in the CLI's trace, down to the activity",
        );
        expect(chain[0]).toBe('StartWorkflow:healthcheck');
        expect(chain).toContain('RunWorkflow:healthcheck');
        expect(chain.slice(-2)).toEqual(['StartActivity:probeWarehouse', 'RunActivity:probeWarehouse']);
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
        await client.connection.close();
        await otlp.close();
      }
    },
  );
});
