import { parseArgs } from 'node:util';
import { temporalUiLink, workflowIds } from '../../../lib/names';
import type { ProbeResult } from '../../../lib/healthcheck';
import { loadConfigOrExit } from '../../config-env';
import { startLocalStack } from '../../local-stack';
import { installLogger } from '../../logging';
import { connectClient } from '../../temporal-client';

/** `npm run demo [-- --keep]`: a real dev server, the worker, one workflow end to end. */
export async function demo(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { keep: { type: 'boolean', default: false } } });
  const base = loadConfigOrExit();
  installLogger('WARN');
  console.log('Starting the Temporal dev server and the scaleflow worker...');
  const stack = await startLocalStack(base);
  const { config } = stack;
  try {
    const client = await connectClient(config);
    const workflowId = workflowIds.healthcheck(`demo-${Date.now()}`);
    const handle = await client.workflow.start('healthcheck', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ note: 'scaleflow demo' }],
    });
    const result = (await handle.result()) as ProbeResult;
    const link = temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, workflowId, handle.firstExecutionRunId);
    console.log(`healthcheck completed: wrote and read back ${JSON.stringify(result)} in ${config.SCALEFLOW_DB}`);
    console.log(`Temporal Web UI: ${link}`);
    await client.connection.close();
  } catch (err) {
    await stack.shutdown();
    throw err;
  }
  if (values.keep) {
    console.log('Everything keeps running; Ctrl-C stops it.');
    await stack.done;
  } else {
    console.log('Stopping (pass --keep to leave the server and worker running). The run stays in data/temporal.sqlite: `npx scaleflow dev` shows it again.');
    await stack.shutdown();
  }
}
