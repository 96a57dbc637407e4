import { WORKER_ROLES, type WorkerRole } from '../../../lib/activity-roles';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const workerSpec = defineCommand({
  name: 'worker',
  options: {
    role: {
      type: 'string',
      value: 'ROLE',
      help: `${WORKER_ROLES.join(', ')}: which task queues this process serves`,
      default: 'all',
    },
  },
  about: `A worker process until SIGINT/SIGTERM (drained, then the DuckDB file closed). Every role runs
workflow tasks on TEMPORAL_TASK_QUEUE, and the activities of its role on its own queue:
  warehouse  <queue>-warehouse: owns the DuckDB file (loads, queries, audit, reports); serves HTTP
  meta       <queue>-meta: Graph API reads and writes, stateless, any number of replicas
  io         <queue>-io: strateg.is fetch, approval emails, stateless
  all        every one of them in one process (what dev and demo run)
Activities per role: lib/activity-roles.ts.`,
});

export async function worker(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(workerSpec, args);
  if (!(WORKER_ROLES as readonly string[]).includes(values.role))
    throw new UsageError(`--role: "${values.role}" is not one of ${WORKER_ROLES.join(', ')}`);
  const { runWorkerProcess } = await import('../../worker-process');
  await runWorkerProcess(values.role as WorkerRole);
}
