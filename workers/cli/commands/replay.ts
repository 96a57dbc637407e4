import { readFileSync } from 'node:fs';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { loadConfigOrExit } from '../../config-env';
import { dataConverter, payloadKeysFor } from '../../data-converter';
import { historyFromJSON, type History } from '../../history-json';
import { installLogger } from '../../logging';
import { workflowsPath } from '../../../services/paths';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';
import { discardWorkflowSpans } from '../../../services/observability/tracing';

export const replaySpec = defineCommand({
  name: 'replay',
  args: 'FILE [FILE...]',
  options: {},
  about: `Replays saved workflow histories against the workflow code of this checkout (or of the image:
WORKFLOW_BUNDLE_PATH when set) and prints one line per history:
  ok                 FILE  <workflow type>, <events> events
  nondeterministic   FILE  <what no longer matches>
  unreadable         FILE  <why it is not a history>
Exit 0 when every history replays, 1 otherwise. A history is the JSON that
\`npm run history:export -- <workflowId> --out FILE\`, \`temporal workflow show -w ID -o json\` or
the Web UI's "Download" write (test/histories/*.json are examples). Encrypted payloads are read
with PAYLOAD_KEYS (every key a history was written with must be listed).`,
});

interface LoadedHistory {
  file: string;
  history: History;
  workflowType: string;
}

/** A file's history, or why it is not one; checked here so one bad file cannot stop the others. */
export function readHistoryFile(file: string): LoadedHistory | { file: string; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return {
      file,
      problem:
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON: ${(err as Error).message}`,
    };
  }
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0)
    return { file, problem: 'not a workflow history: no "events" list' };
  let history: History;
  try {
    history = typeof events[0]?.eventId === 'string' ? historyFromJSON(json) : (json as History);
  } catch (err) {
    return { file, problem: `not a workflow history: ${(err as Error).message}` };
  }
  const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!workflowType)
    return { file, problem: 'not a workflow history: the first event is not WorkflowExecutionStarted' };
  return { file, history, workflowType };
}

/** Core wraps the useful sentence ("[TMPRL1100] Nondeterminism error: ...") in a dump of its failure struct. */
function why(message: string): string {
  return /message: "([^"]+)"/.exec(message)?.[1] ?? message.split('\n')[0]!;
}

export async function replay(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(replaySpec, args);
  if (positionals.length === 0)
    throw new UsageError('replay needs at least one history file, e.g. `scaleflow replay test/histories/*.json`');
  const config = loadConfigOrExit();
  // The replay worker and the bundler log at INFO; the lines below are what the operator reads.
  installLogger('WARN');

  const loaded = positionals.map(readHistoryFile);
  const unreadable = loaded.filter((h): h is { file: string; problem: string } => 'problem' in h);
  for (const h of unreadable) console.log(`unreadable         ${h.file}  ${h.problem}`);
  const histories = loaded.filter((h): h is LoadedHistory => 'history' in h);

  // Histories hold encrypted payloads (PAYLOAD_KEYS decrypts them); older ones in clear replay without keys.
  const options: ReplayWorkerOptions = {
    ...(config.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath }),
    dataConverter: dataConverter(payloadKeysFor(config, false)),
    // The image's bundle makes workflow spans (workers/build-bundle.ts); a replay drops them.
    sinks: discardWorkflowSpans,
  };
  let failed = unreadable.length;
  if (histories.length > 0) {
    // Each runs under the workflow id it ran with (code may derive ids from it: spendSync names its
    // children after its own); the replay worker answers one history at a time, in order.
    const results = Worker.runReplayHistories(
      options,
      histories.map((h) => ({
        workflowId: h.history.events![0]!.workflowExecutionStartedEventAttributes!.workflowId ?? h.file,
        history: h.history,
      })),
    );
    let next = 0;
    for await (const result of results) {
      const h = histories[next++]!;
      if (result.error) {
        failed++;
        const kind = result.error.name === 'DeterminismViolationError' ? 'nondeterministic' : 'failed';
        console.log(`${kind.padEnd(18)} ${h.file}  ${h.workflowType}: ${why(result.error.message)}`);
      } else {
        console.log(`ok                 ${h.file}  ${h.workflowType}, ${h.history.events!.length} events`);
      }
    }
  }
  return failed > 0 ? 1 : 0;
}
