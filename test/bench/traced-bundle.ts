// What the tracing interceptors cost in a workflow bundle when nothing traces (a bundle built with
// `workers/build-bundle.ts --traced`): every recorded history (test/histories) replayed with the
// plain and the traced bundle, alternating, ROUNDS times each. Replay runs the workflow code and its
// interceptors, spans included, without a server. `npx tsx test/bench/traced-bundle.ts`
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { parsePayloadKeys, type PayloadKey } from '../../lib/codec/keys';
import { discardWorkflowSpans } from '../../services/observability/tracing';
import { dataConverter } from '../../workers/data-converter';
import { repoRoot } from '../support/processes';
import { cachedWorkflowBundle } from '../support/workflow-bundle';
import { loadAverage, machine, median, writeSection } from './support';

// test/support/temporal.ts's key (that module needs vitest): the encrypted histories were recorded with it.
const keys = (parsePayloadKeys(`test1:${Buffer.alloc(32, 't').toString('base64')}`) as { keys: PayloadKey[] }).keys;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = join(repoRoot, 'test', 'histories');
const histories = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const history = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    return { workflowId: history.events[0].workflowExecutionStartedEventAttributes.workflowId ?? f, history };
  });

async function replayAll(codePath: string): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const options = { workflowBundle: { codePath }, dataConverter: dataConverter(keys), sinks: discardWorkflowSpans };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) throw new Error(`${result.workflowId}: ${result.error.message}`);
  }
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

const bundles = {
  plain: await cachedWorkflowBundle(),
  traced: await cachedWorkflowBundle(undefined, { traced: true }),
};
const load = [loadAverage()];
const samples: Record<keyof typeof bundles, { cpuMs: number; wallMs: number }[]> = { plain: [], traced: [] };
await replayAll(bundles.plain); // warm-up: the first replay worker starts the runtime
for (let round = 0; round < ROUNDS; round++) {
  for (const name of ['plain', 'traced'] as const) samples[name].push(await replayAll(bundles[name]));
}
load.push(loadAverage());

const rows = (['plain', 'traced'] as const).map((name) => {
  const cpu = median(samples[name].map((s) => s.cpuMs));
  const wall = median(samples[name].map((s) => s.wallMs));
  return `| ${name} | ${Math.round(statSync(bundles[name]).size / 1024)} KiB | ${Math.round(cpu)} ms | ${Math.round(wall)} ms |`;
});
const section = `${histories.length} recorded histories replayed ${ROUNDS} times with each bundle, alternating; medians of
the process's CPU time (user + system) and wall time per pass over all of them. ${machine()}; load average
${load.join(' -> ')}. \`npx tsx test/bench/traced-bundle.ts\`

| bundle | size | CPU per pass | wall per pass |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
console.log(section);
if (process.env.BENCH_WRITE === '1') writeSection('Workflow bundle with the tracing interceptors, untraced', section);
