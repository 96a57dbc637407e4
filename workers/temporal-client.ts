import { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { startTracing } from '../services/observability/tracing';
import { dataConverter, payloadKeysFor } from './data-converter';
import { connectClientConnection } from './temporal-connection';

/**
 * A client that encrypts what it sends and decrypts what it reads with PAYLOAD_KEYS, as the worker
 * does. `keys: 'optional'` is for commands that only read histories (export, replay). With
 * OTEL_EXPORTER_OTLP_ENDPOINT its starts, signals and Updates are traced, and the worker's spans of
 * what they cause join the same trace (runCli flushes them before the process exits).
 */
export async function connectClient(
  config: Parameters<typeof connectClientConnection>[0] &
    Pick<Config, 'PAYLOAD_KEYS'> &
    Partial<Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>>,
  { keys = 'required' }: { keys?: 'required' | 'optional' } = {},
): Promise<Client> {
  const converter = dataConverter(payloadKeysFor(config, keys === 'required'));
  const connection = await connectClientConnection(config);
  const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, 'cli');
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: converter,
    ...(tracing ? { interceptors: tracing.clientInterceptors } : {}),
  });
}
