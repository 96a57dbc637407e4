import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { Warehouse } from '../activities/warehouse/warehouse';
import type { Config } from '../lib/config';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface MainWorker {
  worker: Worker;
  warehouse: Warehouse;
  connection: NativeConnection;
  /** Resolves when the worker has drained and the DuckDB file is closed. */
  run(): Promise<void>;
}

/**
 * The main worker: it owns the DuckDB file and runs every activity that touches it. Stateless
 * I/O activities may later move to other task queues and processes.
 */
export async function createMainWorker(config: Config, options: { warehouse?: Warehouse } = {}): Promise<MainWorker> {
  const warehouse = options.warehouse ?? (await Warehouse.open(config.SCALEFLOW_DB));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({ config, warehouse }),
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : { workflowsPath }),
    shutdownGraceTime: `${config.SHUTDOWN_GRACE_SECONDS}s`,
  });
  return {
    worker,
    warehouse,
    connection,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
        if (!options.warehouse) warehouse.close();
      }
    },
  };
}
