import { join } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import { rootDir } from '../paths';

/** The workflow side of the tracing interceptors, bundled with the workflows when tracing is on. */
export const tracingWorkflowInterceptorsPath = join(rootDir, 'workflows', 'tracing-interceptors.ts');

export interface Tracing {
  tracer: Tracer;
  clientInterceptors: ClientInterceptors;
  workerInterceptors: WorkerInterceptors;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's sink map is keyed by sink name
  sinks: InjectedSinks<any>;
  /** Sends the spans still batched; a stopping process calls it last. */
  shutdown(): Promise<void>;
}

// One provider per process, however many workers and clients it makes.
let started: Promise<Tracing | undefined> | undefined;

/**
 * OpenTelemetry for this process when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans of the HTTP
 * requests, the client's workflow starts, signals and updates, the workflows and the activities,
 * batched to `<endpoint>/v1/traces` as OTLP/HTTP JSON. Unset, nothing is loaded or registered:
 * the SDK packages are imported only here, on demand.
 */
export function startTracing(endpoint: string | undefined, role: string): Promise<Tracing | undefined> {
  if (!endpoint) return Promise.resolve(undefined);
  return (started ??= load(endpoint, role));
}

async function load(endpoint: string, role: string): Promise<Tracing> {
  const [{ trace }, { NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { Resource }, otel] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@temporalio/interceptors-opentelemetry'),
    ]);
  const resource = new Resource({ 'service.name': 'scaleflow', 'scaleflow.role': role });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The AsyncLocalStorage context manager and the W3C traceparent propagator, process-wide.
  provider.register();
  return {
    tracer: trace.getTracer('scaleflow'),
    clientInterceptors: { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] },
    workerInterceptors: {
      workflowModules: [tracingWorkflowInterceptorsPath],
      activity: [
        (ctx) => ({
          inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    // Workflow spans leave the sandbox through this sink, into the same batch as the others.
    sinks: { exporter: otel.makeWorkflowExporter(processor, resource) },
    shutdown: () => provider.shutdown(),
  };
}
