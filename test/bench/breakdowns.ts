// npm run bench:breakdowns: issue 21's "figures for the breakdown sync of 200 campaigns x 5
// breakdowns". The real breakdownSync (one paged activity per breakdown on the meta queue, pages
// through the spool, each breakdown's day replaced by the warehouse) on a Temporal dev server,
// against the Graph API sandbox answering every call after 100 ms (as bench:sync) with Meta's
// per-account call budget. Workers are their own processes (`node dist/scaleflow.js worker --role
// ...`): 1 warehouse, 1 meta. A spend sync runs first (untimed) so the warehouse knows which ad
// sets hold their budget; then the same day is synced BENCH_RUNS times (each replaces it) and the
// median is quoted. Figures go to the "Breakdown sync" section of BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { activityQueue } from '../../lib/activity-roles';
import { parseConfig } from '../../lib/config';
import { dateIn, yesterdayOf } from '../../lib/dates';
import { BREAKDOWNS } from '../../lib/meta/breakdowns';
import { hourOf } from '../../lib/meta/hour';
import { workflowIds } from '../../lib/names';
import { startDevServer } from '../../scripts/temporal.mjs';
import { dataConverter } from '../../workers/data-converter';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import type { BreakdownSyncResult } from '../../workflows/breakdown-sync';
import { spawnCli, waitFor } from '../support/processes';
import { cpuSecondsOf, loadAverage, machine, median, writeSection } from './support';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_MS = 100;
const QUOTA = { calls: 300, windowMs: 3_600_000 };
const ACCOUNT = 'act_9500';
const TIME_ZONE = 'America/Los_Angeles';
const PAYLOAD_KEYS = `bench1:${Buffer.alloc(32, 'b').toString('base64')}`;

const scratch = mkdtempSync(join(tmpdir(), 'scaleflow-bench-breakdowns-'));
const server = await startDevServer({ uiPort: null, quiet: true });
const sandbox = await startMetaSandbox({ latencyMs: LATENCY_MS, quota: QUOTA });
sandbox.state.addAccount(ACCOUNT, { currency: 'USD', timezone: TIME_ZONE });
for (let c = 0; c < CAMPAIGNS; c++) {
  // Half CBO (the campaign holds the budget), half with the budget on their ad set; every one
  // delivered, so each ad set has rows by every breakdown (the sandbox's split: 12 age x gender,
  // 6 placements, 1 country, 4 regions, 24 hours = 47 rows).
  const delivery = { spendMinor: 5000 + c, impressions: 1000, clicks: 10, purchases: 2, purchaseValueMinor: 8000 };
  sandbox.state.addCampaign(
    ACCOUNT,
    { name: `Bench_${c}`, cbo: c % 2 === 0, dailyBudget: 10_000, adsets: [{ dailyBudget: 10_000, delivery }] },
    String(2_000_000 + c),
  );
}
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection, dataConverter: dataConverter(parseConfig({ PAYLOAD_KEYS }).PAYLOAD_KEYS!) });

const id = randomUUID().slice(0, 8);
const queue = `bench-breakdowns-${id}`;
const env = {
  TEMPORAL_ADDRESS: server.address,
  TEMPORAL_TASK_QUEUE: queue,
  SCALEFLOW_DB: join(scratch, `${id}.duckdb`),
  SPOOL_DIR: join(scratch, `spool-${id}`),
  REPORTS_DIR: join(scratch, `reports-${id}`),
  OUTBOX_DIR: join(scratch, `outbox-${id}`),
  HTTP_PORT: '0',
  LOG_LEVEL: 'WARN',
  AUDIT_SECRET: 'bench-audit-secret-bench-audit-secret-0123',
  PAYLOAD_KEYS,
  META_ACCESS_TOKEN: sandbox.token,
  META_GRAPH_URL: sandbox.url,
  META_AD_ACCOUNT_IDS: ACCOUNT,
};
const workers = [spawnCli(['worker', '--role', 'warehouse'], env), spawnCli(['worker', '--role', 'meta'], env)];

interface Run {
  seconds: number;
  graphCalls: number;
  refused: number;
  rows: number;
  cpu: { meta: number; warehouse: number; server: number; bench: number };
  loadStart: string;
  loadEnd: string;
}

const cpuOf = () => ({
  meta: cpuSecondsOf(workers[1]!.child.pid!),
  warehouse: cpuSecondsOf(workers[0]!.child.pid!),
  server: server.pid ? cpuSecondsOf(server.pid) : 0,
  bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
});

const day = yesterdayOf(dateIn(TIME_ZONE, new Date()));
// Every ad set's 47 rows, by breakdown.
const expectedRows = CAMPAIGNS * 47;
const runs: Run[] = [];
try {
  const ACTIVITY = proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;
  await waitFor(
    async () => {
      for (const w of workers) if (w.child.exitCode !== null) throw new Error(`a worker exited: ${w.output()}`);
      for (const role of ['meta', 'warehouse'] as const) {
        const answer = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: activityQueue(queue, role) },
          taskQueueType: ACTIVITY,
        });
        if (!answer.pollers?.length) return false;
      }
      return true;
    },
    // Each worker bundles the workflows on start: minutes on a machine at load 20+.
    600_000,
    'the meta and warehouse workers polling',
  );
  const hour = hourOf(Date.now());
  await client.workflow.execute('spendSync', {
    taskQueue: queue,
    workflowId: `bench-spend/${queue}`,
    args: [{ hour }],
  });

  for (let i = 0; i < RUNS; i++) {
    const logFrom = sandbox.log.length;
    const loadStart = loadAverage();
    const before = cpuOf();
    const started = performance.now();
    const result = (await client.workflow.execute('breakdownSync', {
      taskQueue: queue,
      workflowId: workflowIds.breakdownSync(ACCOUNT, day),
      args: [{ account: ACCOUNT, date: day }],
    })) as BreakdownSyncResult;
    const seconds = (performance.now() - started) / 1000;
    const after = cpuOf();
    const rows = BREAKDOWNS.reduce((n, b) => n + result.rows[b], 0);
    if (rows !== expectedRows) throw new Error(`synced ${rows} breakdown rows, not ${expectedRows}`);
    const calls = sandbox.log.slice(logFrom).filter((r) => r.batch === undefined);
    runs.push({
      seconds,
      graphCalls: calls.length,
      refused: calls.filter((r) => r.status !== 200).length,
      rows,
      cpu: {
        meta: after.meta - before.meta,
        warehouse: after.warehouse - before.warehouse,
        server: after.server - before.server,
        bench: after.bench - before.bench,
      },
      loadStart,
      loadEnd: loadAverage(),
    });
    console.log(`run ${i + 1}: ${seconds.toFixed(1)} s, ${calls.length} Graph calls, ${rows} rows`);
  }
} catch (err) {
  for (const w of workers) console.error(w.output());
  throw err;
} finally {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await connection.close();
  await sandbox.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}

const med = (f: (r: Run) => number) => median(runs.map(f));
const section = `## Breakdown sync

\`npm run bench:breakdowns\` (test/bench/breakdowns.ts): one ad account of ${CAMPAIGNS} campaigns (half CBO, half with the
budget on their one ad set), every ad set delivered yesterday, read by the 5 breakdowns (age x gender, placement,
country, region, hour of the account's day) at level=adset: ${expectedRows.toLocaleString('en-US')} rows. The Graph API sandbox
answers each HTTP request after ${LATENCY_MS} ms with a per-account budget of ${QUOTA.calls} calls an hour, as in bench:sync. The
real \`breakdownSync\` on a Temporal dev server, workers as their own processes (1 warehouse, 1 meta), META_PAGE_SIZE as
shipped (100): each breakdown pages on its own, side by side. Timed from the start of \`breakdownSync\` to its result
(the day replaced in all five tables and recorded in \`meta_breakdown_runs\`); the same day ${RUNS} times, each
replacing it. Medians of the ${RUNS} runs; the load average is the shared machine's.

| run | wall s | Graph calls | refused | rows (read = stored: one ad set per campaign) | CPU s: meta / warehouse / dev server / bench+sandbox | load average (1, 5, 15 min) start -> end |
| --- | --- | --- | --- | --- | --- | --- |
${runs.map((r, i) => `| ${i + 1} | ${r.seconds.toFixed(1)} | ${r.graphCalls} | ${r.refused} | ${r.rows.toLocaleString('en-US')} | ${[r.cpu.meta, r.cpu.warehouse, r.cpu.server, r.cpu.bench].map((c) => c.toFixed(1)).join(' / ')} | ${r.loadStart} -> ${r.loadEnd} |`).join('\n')}
| **median** | **${med((r) => r.seconds).toFixed(1)}** | ${med((r) => r.graphCalls)} | ${med((r) => r.refused)} | ${med((r) => r.rows).toLocaleString('en-US')} | ${[(r: Run) => r.cpu.meta, (r: Run) => r.cpu.warehouse, (r: Run) => r.cpu.server, (r: Run) => r.cpu.bench].map((f) => med(f).toFixed(1)).join(' / ')} | |

Machine: ${machine()}.
`;
writeSection('Breakdown sync', section);
console.log(section);
