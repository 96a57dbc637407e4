import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { temporalUiLink } from '../../../lib/names';
import { loadConfigOrExit } from '../../config-env';
import { connectClient } from '../../temporal-client';
import { defineCommand, parseCommandArgs, type CommandSpec, type OptionSpecs } from '../args';
import { fieldOf, findWorkflow, flagOf, resolveWorkflow, workflowCatalog } from '../catalog';
import { UsageError } from '../usage';

/** A workflow's inputs as flags: one string option per field of its schema, checked by the schema. */
function inputOptions(name: string): OptionSpecs {
  const { shape } = findWorkflow(name).input;
  return Object.fromEntries(
    Object.keys(shape).map((field) => [
      flagOf(field),
      {
        type: 'string',
        help: `its input "${field}"${shape[field]!.safeParse(undefined).success ? ' (optional)' : ''}`,
      },
    ]),
  );
}

const workflowList = Object.keys(workflowCatalog)
  .map((name) =>
    `  ${name} ${Object.keys(inputOptions(name))
      .map((f) => `--${f} VALUE`)
      .join(' ')}`.trimEnd(),
  )
  .join('\n');

export const runSpec = defineCommand({
  name: 'run',
  args: '<workflow>',
  options: {},
  about: `Starts a workflow and prints its id and Web UI link; the same business key finds the existing run.
Its inputs are flags named after its input fields, in kebab-case (\`scaleflow run <workflow> --help\`):
${workflowList}`,
});

/** `run <workflow> --help` shows that workflow's inputs as options. */
const workflowSpec = (name: string): CommandSpec => ({
  ...runSpec,
  name: `run ${name}`,
  args: undefined,
  options: inputOptions(name),
});

/** `scaleflow run <workflow> [--input value ...]`: starts it (or finds the run with the same id). */
export async function run(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name.startsWith('-')) {
    parseCommandArgs(runSpec, args);
    throw new UsageError('run needs a workflow name, e.g. `scaleflow run healthcheck`');
  }
  const { values } = parseCommandArgs(workflowSpec(name), rest);
  const fields = Object.fromEntries(
    Object.entries(values).flatMap(([flag, v]) => (typeof v === 'string' ? [[fieldOf(flag), v]] : [])),
  );
  const { workflowId, input, idReusePolicy } = resolveWorkflow(name, fields);
  const config = loadConfigOrExit();
  const client = await connectClient(config);
  let runId: string | undefined;
  let existing = false;
  try {
    const handle = await client.workflow.start(name, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [input],
      workflowIdReusePolicy: idReusePolicy,
    });
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
