import { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { logger } from '../services/observability/logger';
import { startTracing } from '../services/observability/tracing';
import { createActivities, type ActivityDeps } from '../activities';
import { createMailer } from '../services/mail/transport';
import { registerWarehouseGauges } from '../services/prometheus';
import { workflowsPath } from '../services/paths';
import { Warehouse } from '../services/warehouse/warehouse';
import { activityQueue, rolesOf, type WorkerRole } from '../lib/activity-roles';
import type { Config } from '../lib/config';
import { tokenPolicy } from './http/jwt';
import { dataConverter, workerPayloadKeys } from './data-converter';
import { buildRoutes } from './http/routes';
import { startHttpServer, type RunningHttpServer } from './http/server';
import { connectClientConnection, connectWorkerConnection, temporalConnectionSettings } from './temporal-connection';
import { noWarehouse, pickRole } from './roles';

export interface MainWorker {
  role: WorkerRole;
  /** Every Temporal worker of this process (the workflows' and one per activity queue) as one. */
  worker: { shutdown(): void };
  /** The DuckDB file, opened by the roles that own it (warehouse, all); a refusing stand-in otherwise. */
  warehouse: Warehouse;
  connection: NativeConnection;
  /** The JSON API, approval pages and health, served by the process that owns the warehouse. */
  http?: RunningHttpServer;
  /** Resolves when every worker has drained and the DuckDB file is closed. */
  run(): Promise<void>;
}

function workerGroup(workers: Worker[]) {
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  return {
    shutdown,
    async run() {
      const runs = workers.map((w) => w.run());
      try {
        await Promise.all(runs);
      } catch (err) {
        // One worker failing takes the process down whole, drained, rather than half a role.
        shutdown();
        await Promise.allSettled(runs);
        throw err;
      }
    },
  };
}

/**
 * A scaleflow worker process of one role (lib/activity-roles.ts): it runs workflow tasks on
 * TEMPORAL_TASK_QUEUE, whatever its role, so a decision reaches its workflow while any worker is
 * up, and the activities of its role on that role's queue. `all` (dev, demo, tests) is every role
 * in one process; only `warehouse` and `all` open the DuckDB file and serve HTTP.
 */
export async function createMainWorker(
  config: Config,
  options: { role?: WorkerRole; warehouse?: Warehouse; http?: boolean } & Pick<ActivityDeps, 'mailer' | 'meta'> = {},
): Promise<MainWorker> {
  const role = options.role ?? 'all';
  const roles = rolesOf(role);
  const ownsWarehouse = roles.includes('warehouse');
  // Checked before anything opens: a worker without keys would write personal data into histories.
  const converter = dataConverter(workerPayloadKeys(config));
  // So are the TLS files: a wrong one stops start-up naming its variable, before the warehouse opens.
  temporalConnectionSettings(config);
  const warehouse = ownsWarehouse
    ? (options.warehouse ?? (await Warehouse.open(config.SCALEFLOW_DB)))
    : noWarehouse(roles[0]!);
  const connection = await connectWorkerConnection(config);
  // Built here, not by the activities, so the worker closes its pooled SMTP connections when it stops.
  const mailer = options.mailer ?? createMailer(config);
  const deps: ActivityDeps = { config, warehouse, mailer, meta: options.meta };
  if (ownsWarehouse) registerWarehouseGauges(warehouse);
  const activities = createActivities(deps);
  const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, role);
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'dataConverter' | 'shutdownGraceTime'> = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: converter,
    shutdownGraceTime: `${config.SHUTDOWN_GRACE_SECONDS}s`,
  };
  // A prebuilt bundle carries its workflow interceptors already (`build-bundle.ts --traced`).
  const workflowTracing: Pick<WorkerOptions, 'interceptors' | 'sinks'> = tracing
    ? {
        interceptors: {
          ...tracing.workerInterceptors,
          workflowModules: config.WORKFLOW_BUNDLE_PATH ? [] : tracing.workerInterceptors.workflowModules,
        },
        sinks: tracing.sinks,
      }
    : {};
  const activityTracing: Pick<WorkerOptions, 'interceptors'> = tracing
    ? { interceptors: { activity: tracing.workerInterceptors.activity } }
    : {};
  const workers = [
    await Worker.create({
      ...common,
      ...workflowTracing,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ...(config.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
        : { workflowsPath }),
      // Runs that reached their decision before the steps moved to the warehouse queue replay them
      // as local activities, which run beside the workflow: only where the warehouse is.
      ...(ownsWarehouse ? { activities: pickRole('warehouse', activities) } : {}),
    }),
  ];
  for (const r of roles) {
    workers.push(
      await Worker.create({
        ...common,
        ...activityTracing,
        taskQueue: activityQueue(config.TEMPORAL_TASK_QUEUE, r),
        activities: pickRole(r, activities),
        // Meta's quotas are shared by every meta replica: the task-queue-wide limit is kept by the server.
        ...(r === 'meta'
          ? {
              ...(config.META_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND
                ? { maxTaskQueueActivitiesPerSecond: config.META_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND }
                : {}),
              ...(config.META_MAX_ACTIVITIES_PER_SECOND
                ? { maxActivitiesPerSecond: config.META_MAX_ACTIVITIES_PER_SECOND }
                : {}),
            }
          : {}),
      }),
    );
  }
  const group = workerGroup(workers);
  // The approval pages send decisions to workflows, so the HTTP side needs a Temporal client too.
  const serveHttp = ownsWarehouse && options.http !== false;
  const clientConnection = serveHttp ? await connectClientConnection(config) : undefined;
  const http =
    clientConnection === undefined
      ? undefined
      : await startHttpServer({
          host: config.HTTP_HOST,
          port: config.HTTP_PORT,
          routes: buildRoutes({
            ...deps,
            temporal: new Client({
              connection: clientConnection,
              namespace: config.TEMPORAL_NAMESPACE,
              dataConverter: converter,
              ...(tracing ? { interceptors: tracing.clientInterceptors } : {}),
            }),
          }),
          jwtSecret: config.JWT_SECRET,
          tokenPolicy: tokenPolicy(config),
          rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
          trustedProxies: config.TRUSTED_PROXIES,
          tracer: tracing?.tracer,
          onError: (err) => logger().error({ err }, 'unhandled error in an HTTP handler'),
        });
  return {
    role,
    worker: { shutdown: group.shutdown },
    warehouse,
    connection,
    http,
    async run() {
      try {
        await group.run();
      } finally {
        await http?.close();
        await clientConnection?.close();
        await connection.close();
        if (!options.mailer) mailer.close();
        if (ownsWarehouse && !options.warehouse) warehouse.close();
        await tracing?.shutdown();
      }
    },
  };
}
