import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { temporalUiLink } from '../../../lib/names';
import { loadConfigOrExit } from '../../config-env';
import { connectClient } from '../../temporal-client';
import { resolveWorkflow } from '../catalog';
import { flagsToObject, UsageError } from '../usage';

/** `scaleflow run <workflow> [--arg value ...]`: starts it (or finds the run with the same id). */
export async function run(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (!name || name.startsWith('--')) throw new UsageError('run needs a workflow name, e.g. `scaleflow run healthcheck`');
  const { workflowId, input, idReusePolicy } = resolveWorkflow(name, flagsToObject(rest));
  const config = loadConfigOrExit();
  const client = await connectClient(config);
  let runId: string | undefined;
  let existing = false;
  try {
    const handle = await client.workflow.start(name, { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input], workflowIdReusePolicy: idReusePolicy });
    runId = handle.firstExecutionRunId;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    existing = true;
  }
  console.log(
    JSON.stringify({
      workflow: name,
      workflowId,
      runId,
      existing,
      ui: temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, workflowId, runId),
    }),
  );
  await client.connection.close();
}
