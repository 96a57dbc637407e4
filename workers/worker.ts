import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { Warehouse } from '../activities/warehouse/warehouse';
import type { Config } from '../lib/config';
import { buildRoutes } from './http/routes';
import { startHttpServer, type RunningHttpServer } from './http/server';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
  options: { warehouse?: Warehouse; http?: boolean } = {},
): Promise<MainWorker> {
  const warehouse = options.warehouse ?? (await Warehouse.open(config.SCALEFLOW_DB));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const deps = { config, warehouse };
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : { workflowsPath }),
    shutdownGraceTime: `${config.SHUTDOWN_GRACE_SECONDS}s`,
  });
  const http =
    options.http === false
      ? undefined
      : await startHttpServer({
          host: config.HTTP_HOST,
          port: config.HTTP_PORT,
          routes: buildRoutes(deps),
          jwtSecret: config.JWT_SECRET,
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
        await connection.close();
        if (!options.warehouse) warehouse.close();
      }
    },
  };
}
