import { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { registerWarehouseGauges } from '../services/prometheus';
import { workflowsPath } from '../services/paths';
import { Warehouse } from '../services/warehouse/warehouse';
import type { Config } from '../lib/config';
import { tokenPolicy } from './http/jwt';
import { dataConverter, workerPayloadKeys } from './data-converter';
import { buildRoutes } from './http/routes';
import { startHttpServer, type RunningHttpServer } from './http/server';
import { connectClientConnection, connectWorkerConnection, temporalConnectionSettings } from './temporal-connection';

export interface MainWorker {
  worker: Worker;
  warehouse: Warehouse;
  connection: NativeConnection;
  /** The JSON API, approval pages and health, served by the process that owns the warehouse. */
  http?: RunningHttpServer;
  /** Resolves when the worker has drained and the DuckDB file is closed. */
  run(): Promise<void>;
}

/**
 * The main worker: it owns the DuckDB file and runs every activity that touches it. Stateless
 * I/O activities may later move to other task queues and processes.
 */
export async function createMainWorker(
  config: Config,
  options: { warehouse?: Warehouse; http?: boolean } & Pick<ActivityDeps, 'mailer' | 'meta'> = {},
): Promise<MainWorker> {
  // Checked before anything opens: a worker without keys would write personal data into histories.
  const converter = dataConverter(workerPayloadKeys(config));
  // So are the TLS files: a wrong one stops start-up naming its variable, before the warehouse opens.
  temporalConnectionSettings(config);
  const warehouse = options.warehouse ?? (await Warehouse.open(config.SCALEFLOW_DB));
  const connection = await connectWorkerConnection(config);
  const deps: ActivityDeps = { config, warehouse, mailer: options.mailer, meta: options.meta };
  registerWarehouseGauges(warehouse);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    dataConverter: converter,
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : { workflowsPath }),
    shutdownGraceTime: `${config.SHUTDOWN_GRACE_SECONDS}s`,
  });
  // The approval pages send decisions to workflows, so the HTTP side needs a Temporal client too.
  const clientConnection = options.http === false ? undefined : await connectClientConnection(config);
  const http =
    clientConnection === undefined
      ? undefined
      : await startHttpServer({
          host: config.HTTP_HOST,
          port: config.HTTP_PORT,
          routes: buildRoutes({ ...deps, temporal: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: converter }) }),
          jwtSecret: config.JWT_SECRET,
          tokenPolicy: tokenPolicy(config),
          rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
          trustedProxies: config.TRUSTED_PROXIES,
          onError: (err) => console.error('[http] unhandled error', err),
        });
  return {
    worker,
    warehouse,
    connection,
    http,
    async run() {
      try {
        await worker.run();
      } finally {
        await http?.close();
        await clientConnection?.close();
        await connection.close();
        if (!options.warehouse) warehouse.close();
      }
    },
  };
}
