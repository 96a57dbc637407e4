import { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { loadConfigOrExit } from './config-env';
import { logger } from '../services/observability/logger';
import { startTracing } from '../services/observability/tracing';
import { dataConverter, workerPayloadKeys } from './data-converter';
import { apiProcessRoutes } from './http/api-routes';
import { tokenPolicy } from './http/jwt';
import { startHttpServer, type RunningHttpServer } from './http/server';
import { installLogger, log } from './logging';
import { noWarehouse } from './roles';
import { connectClientConnection, temporalConnectionSettings } from './temporal-connection';

export interface ApiServer {
  http: RunningHttpServer;
  close(): Promise<void>;
}

/** `scaleflow api`'s server: a Temporal client and the approval routes, no warehouse. */
export async function startApiServer(config: Config): Promise<ApiServer> {
  // Decisions carry approvers' emails and addresses: encrypted like every other client's payloads.
  const converter = dataConverter(workerPayloadKeys(config));
  const connection = await connectClientConnection(config);
  const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, 'api');
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: converter,
    ...(tracing ? { interceptors: tracing.clientInterceptors } : {}),
  });
  const http = await startHttpServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    routes: apiProcessRoutes({ config, warehouse: noWarehouse('api'), temporal }),
    jwtSecret: config.JWT_SECRET,
    tokenPolicy: tokenPolicy(config),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustedProxies: config.TRUSTED_PROXIES,
    tracer: tracing?.tracer,
    onError: (err) => logger().error({ err }, 'unhandled error in an HTTP handler'),
  });
  return {
    http,
    async close() {
      await http.close();
      await connection.close();
      await tracing?.shutdown();
    },
  };
}

export async function runApiProcess(): Promise<void> {
  const config = loadConfigOrExit();
  try {
    workerPayloadKeys(config);
    temporalConnectionSettings(config);
  } catch (err) {
    console.error(`scaleflow: ${(err as Error).message}`);
    process.exit(78);
  }
  installLogger(config.LOG_LEVEL);
  const server = await startApiServer(config);
  log.info(
    `approval pages on ${server.http.url} (scaleflow api: Temporal only; the JSON API is served by the warehouse worker)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
