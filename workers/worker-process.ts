// A worker process of one role (`scaleflow worker --role`, `node dist/worker.js`). Temporal's
// runtime turns SIGINT/SIGTERM into a graceful shutdown (in-flight activities get
// SHUTDOWN_GRACE_SECONDS, then are retried elsewhere); run() resolves once drained, and the DuckDB
// file is closed before the process exits.
import { existsSync } from 'node:fs';
import { auditTailProblem } from '../activities/approvals/audit';
import { checkSlackSettings } from '../services/approvals/approvers-file';
import { activityQueue, rolesOf, type WorkerRole } from '../lib/activity-roles';
import { loadConfigOrExit } from './config-env';
import { workerPayloadKeys } from './data-converter';
import { installLogger, log } from './logging';
import { temporalConnectionSettings } from './temporal-connection';
import { createMainWorker } from './worker';

export async function runWorkerProcess(role: WorkerRole): Promise<void> {
  const config = loadConfigOrExit();
  try {
    workerPayloadKeys(config);
    temporalConnectionSettings(config);
    checkSlackSettings(config, existsSync);
  } catch (err) {
    console.error(`scaleflow: ${(err as Error).message}`);
    process.exit(78); // EX_CONFIG, as for any other bad variable
  }
  installLogger(config.LOG_LEVEL, config.SDK_METRICS_ADDRESS);
  const roles = rolesOf(role);
  const ownsWarehouse = roles.includes('warehouse');
  // Every budget change is recorded on the keyed audit chain before anything else happens to it, so
  // a warehouse worker that cannot key the chain would fail every change: it does not start instead.
  if (ownsWarehouse && !config.AUDIT_SECRET) {
    console.error(
      'scaleflow: AUDIT_SECRET is not set: the audit log is chained with it (32+ characters; `npm run demo` and `scaleflow dev` make a local one)',
    );
    process.exit(78); // EX_CONFIG
  }
  if (ownsWarehouse && !config.JWT_SECRET) log.warn('JWT_SECRET is not set: the JSON API answers 401 to every request');
  if (roles.includes('meta') && !config.META_ACCESS_TOKEN) {
    log.warn(
      'META_ACCESS_TOKEN is not set: the spend sync and budget writes fail until it is (`scaleflow dev` uses the local Graph API sandbox)',
    );
  }
  const main = await createMainWorker(config, { role });
  if (ownsWarehouse) {
    const tail = await auditTailProblem(main.warehouse, config.AUDIT_SECRET!);
    if (tail) {
      console.error(`scaleflow: ${tail}`);
      main.warehouse.close();
      process.exit(78);
    }
  }
  if (main.http) log.info(`HTTP (API, approval pages, /healthz) on ${main.http.url}`, { url: main.http.url });
  const queues = [config.TEMPORAL_TASK_QUEUE, ...roles.map((r) => activityQueue(config.TEMPORAL_TASK_QUEUE, r))];
  log.info(
    `${role} worker on task queues ${queues.join(', ')} at ${config.TEMPORAL_ADDRESS}${ownsWarehouse ? `, warehouse ${config.SCALEFLOW_DB}` : ''}`,
    { role, taskQueues: queues, tracing: Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT) },
  );
  await main.run();
  log.info(`worker stopped${ownsWarehouse ? ', warehouse closed' : ''}`);
}
