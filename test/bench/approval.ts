// npm run bench:approval: issue 6's "approval click to budget written on the sandbox: p95 under
// 1 s". A real Temporal dev server, the main worker in this process (HTTP approval pages and all),
// the Graph API sandbox and a loopback SMTP server. Every budgetChange is started and its approval
// email caught; then the Approve button is POSTed through the emailed link and the time runs until
// the sandbox sets the campaign's new budget. Clicks one at a time, then a few at once. Figures go
// to the "Approval to budget written" section of BENCHMARKS.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { BudgetChangeStatus, Proposal } from '../../lib/approvals/proposal';
import { parseConfig } from '../../lib/config';
import { workflowIds } from '../../lib/names';
import { freePort, startDevServer } from '../../scripts/temporal.mjs';
import { statusQuery } from '../../workflows/budget-change';
import { installLogger } from '../../workers/logging';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import type { SandboxCampaign } from '../../workers/meta-sandbox/state';
import { dataConverter } from '../../workers/data-converter';
import { createMainWorker } from '../../workers/worker';
import { linkIn, postDecision, proposal } from '../approvals/harness';
import { metaEnv } from '../meta/harness';
import { waitFor } from '../support/processes';
import { startSmtpCapture } from '../support/smtp';
import { approvalPhases, type Phases } from './approval-phases';
import { machine, median, ms, percentile, writeSection } from './support';

const N = Number(process.env.BENCH_APPROVALS ?? 30);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT_CLICKS ?? 5);
const WARM_UP = 3;
const P95_BUDGET_MS = 1000;
const APPROVER = 'lead@example.com';
const FROM_CENTS = 20_000;
const TO_CENTS = 28_000;

installLogger('WARN');
const now = () => performance.timeOrigin + performance.now();
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
const loadAtStart = loadavg();

const scratch = mkdtempSync(join(tmpdir(), 'scaleflow-bench-approval-'));
const server = await startDevServer({ uiPort: null });
const smtp = await startSmtpCapture();
const sandbox = await startMetaSandbox();
sandbox.state.addAccount('act_1001', { currency: 'USD' });

/** When the sandbox set each campaign's budget to the target (epoch ms), and who waits for it. */
const writtenAt = new Map<string, number>();
const writeWaiters = new Map<string, (at: number) => void>();
/** Hooks the sandbox campaign's budget so the moment the write lands is seen exactly, not polled. */
function watchBudget(campaign: SandboxCampaign): void {
  let value = campaign.dailyBudget;
  Object.defineProperty(campaign, 'dailyBudget', {
    enumerable: true,
    get: () => value,
    set: (next: number | null) => {
      value = next;
      if (next !== TO_CENTS || writtenAt.has(campaign.id)) return;
      const at = now();
      writtenAt.set(campaign.id, at);
      writeWaiters.get(campaign.id)?.(at);
    },
  });
}

interface Click {
  p: Proposal;
  handle: WorkflowHandle;
  link: string;
  clickAt?: number;
  answeredAt?: number;
  writtenAt?: number;
}

const port = await freePort();
const approversFile = join(scratch, 'approvers.json');
writeFileSync(approversFile, JSON.stringify({ default: [APPROVER] }));
const config = parseConfig({
  TEMPORAL_ADDRESS: server.address,
  TEMPORAL_TASK_QUEUE: 'bench-approval',
  SCALEFLOW_DB: join(scratch, 'warehouse.duckdb'),
  REPORTS_DIR: join(scratch, 'reports'),
  OUTBOX_DIR: join(scratch, 'outbox'),
  INBOX_DIR: join(scratch, 'inbox'),
  ARCHIVE_DIR: join(scratch, 'archive'),
  SHUTDOWN_GRACE_SECONDS: '5',
  LOG_LEVEL: 'WARN',
  APPROVAL_SECRET: 'bench-approval-secret-bench-approval-secret',
  APPROVERS_FILE: approversFile,
  SMTP_URL: smtp.url,
  HTTP_PORT: String(port),
  PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  // One owner approves every campaign here; the per-owner daily limit is for real mornings.
  DAILY_ACTION_LIMIT_PER_OWNER: String(10 * N),
  ...metaEnv(sandbox, ['act_1001']),
  // Encrypted as in production, so the timings include the codec.
  PAYLOAD_KEYS: `bench1:${Buffer.alloc(32, 'b').toString('base64')}`,
});
const main = await createMainWorker(config);
const running = main.run();
const connection = await Connection.connect({ address: server.address });
const client = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: dataConverter(config.PAYLOAD_KEYS!),
});

try {
  // Every proposal waits for its click before the first click is timed, as on a real morning.
  const names = [
    ...Array.from({ length: WARM_UP }, (_, i) => `bench-warm-${String(i).padStart(3, '0')}`),
    ...Array.from({ length: N }, (_, i) => `bench-seq-${String(i).padStart(3, '0')}`),
    ...Array.from({ length: N }, (_, i) => `bench-par-${String(i).padStart(3, '0')}`),
  ];
  const clicks = new Map<string, Click>();
  for (const [i, campaignId] of names.entries()) {
    const metaCampaignId = String(700_000 + i);
    watchBudget(sandbox.state.addCampaign('act_1001', { name: campaignId, dailyBudget: FROM_CENTS }, metaCampaignId));
    const p = proposal({
      campaignId,
      campaignName: campaignId,
      metaCampaignId,
      accountId: 'act_1001',
      owner: 'bench',
      action: { kind: 'set_daily_budget', fromCents: FROM_CENTS, toCents: TO_CENTS },
    });
    const handle = await client.workflow.start('budgetChange', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: workflowIds.budgetChange(p.campaignId, p.date, p.type),
      args: [{ proposal: p, settings: { approvalTimeoutMs: 3_600_000, outcomeDelayMs: 3_600_000, dryRun: false } }],
    });
    clicks.set(campaignId, { p, handle, link: '' });
  }
  for (const [campaignId, click] of clicks) {
    const mail = await waitFor(
      () => smtp.messages.find((m) => m.subject?.includes(campaignId)),
      120_000,
      `the approval email for ${campaignId}`,
    );
    click.link = linkIn(mail.text);
    await waitFor(
      async () => (await click.handle.query(statusQuery)).state === 'awaiting_approval',
      60_000,
      `${campaignId} awaiting approval`,
    );
  }

  /**
   * POSTs Approve through the emailed link; resolves when the sandbox holds the new budget and the page has
   * answered.
   */
  async function approve(click: Click): Promise<void> {
    const id = click.p.metaCampaignId;
    const written = new Promise<number>((resolve) => writeWaiters.set(id, resolve));
    click.clickAt = now();
    const res = await postDecision(click.link, 'approve');
    click.answeredAt = now();
    if (res.status !== 200)
      throw new Error(`${click.p.campaignId}: the approve POST answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${click.p.campaignId}: no budget written 30 s after the click`)),
        30_000,
      ).unref(),
    );
    click.writtenAt = await Promise.race([written, timeout]);
  }
  const untilWritten = (click: Click) =>
    waitFor(
      async () => (await click.handle.query(statusQuery)).state === 'written',
      30_000,
      `${click.p.campaignId} recorded as written`,
    );

  const group = (prefix: string) => [...clicks.values()].filter((c) => c.p.campaignId.startsWith(prefix));
  // Warm-up: the first click pays for first queries and connections; it is reported, not counted.
  for (const click of group('bench-warm-')) {
    await approve(click);
    await untilWritten(click);
  }
  // One at a time: each workflow finishes recording its write before the next click.
  for (const click of group('bench-seq-')) {
    await approve(click);
    await untilWritten(click);
  }
  // A few approvers clicking at the same moment.
  const parallel = group('bench-par-');
  for (let i = 0; i < parallel.length; i += CONCURRENT) {
    const batch = parallel.slice(i, i + CONCURRENT);
    await Promise.all(batch.map(approve));
    await Promise.all(batch.map(untilWritten));
  }
  const loadAtEnd = loadavg();

  // Each campaign was written exactly once, to the target.
  for (const click of clicks.values()) {
    const posts = sandbox.log.filter((r) => r.method === 'POST' && r.path === `/${click.p.metaCampaignId}`);
    if (posts.length !== 1 || sandbox.state.campaign(click.p.metaCampaignId)!.dailyBudget !== TO_CENTS) {
      throw new Error(
        `${click.p.campaignId}: ${posts.length} POSTs, budget ${sandbox.state.campaign(click.p.metaCampaignId)!.dailyBudget}`,
      );
    }
    const status = (await click.handle.query(statusQuery)) as BudgetChangeStatus;
    if (status.state !== 'written')
      throw new Error(`${click.p.campaignId} ended ${status.state}: ${status.detail ?? ''}`);
  }

  const latency = (c: Click) => c.writtenAt! - c.clickAt!;
  const answered = (c: Click) => c.answeredAt! - c.clickAt!;
  const seq = group('bench-seq-');
  const all = [...seq, ...parallel];
  const stats = (cs: Click[], f: (c: Click) => number) => {
    const xs = cs.map(f);
    return `${ms(median(xs))} | ${ms(percentile(xs, 95))} | ${ms(Math.max(...xs))}`;
  };

  // Where the time goes, from each click's workflow history (median and p95 per phase).
  const phasesOf = async (cs: Click[]) => {
    const runs: Phases[] = [];
    for (const c of cs)
      runs.push(approvalPhases((await c.handle.fetchHistory()).events ?? [], c.clickAt!, c.writtenAt!));
    return runs;
  };
  const [seqPhases, parPhases] = [await phasesOf(seq), await phasesOf(parallel)];
  const phaseCell = (runs: Phases[], name: string) => {
    const xs = runs.map((p) => p[name]).filter((x): x is number => x !== undefined);
    return xs.length ? `${ms(median(xs))} | ${ms(percentile(xs, 95))}` : '- | -';
  };
  const phaseRows = [...new Set([...seqPhases, ...parPhases].flatMap((p) => Object.keys(p)))].map(
    (name) => `| ${name} | ${phaseCell(seqPhases, name)} | ${phaseCell(parPhases, name)} |`,
  );

  const p95 = percentile(all.map(latency), 95);
  const warm = group('bench-warm-');
  const section = [
    `\`npm run bench:approval\` (test/bench/approval.ts): a real Temporal dev server, the main worker in the`,
    `bench's process (approval pages, activities, DuckDB warehouse), the Graph API sandbox and a loopback`,
    `SMTP server. ${WARM_UP + 2 * N} budgetChange workflows are started and wait for approval; each is approved by`,
    `POSTing Approve to the link in its email. Timed from the POST to the moment the sandbox sets the`,
    `campaign's new daily budget (a hook on the sandbox's campaign, not a poll); the page's answer is timed too.`,
    `${N} clicks one at a time, then ${N} in batches of ${CONCURRENT} at once; ${WARM_UP} warm-up clicks first, not counted`,
    `(the very first took ${ms(latency(warm[0]!))}). Every campaign got exactly one POST and ends at $${TO_CENTS / 100}.`,
    `Done-when: p95 under ${P95_BUDGET_MS / 1000} s over all ${2 * N} counted clicks: **${ms(p95)}**, ${p95 < P95_BUDGET_MS ? 'met' : 'NOT met'}.`,
    '',
    '| clicks | click to budget written: p50 | p95 | max | click to page answered: p50 | p95 | max |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${N} one at a time | ${stats(seq, latency)} | ${stats(seq, answered)} |`,
    `| ${N} in batches of ${CONCURRENT} | ${stats(parallel, latency)} | ${stats(parallel, answered)} |`,
    `| all ${2 * N} | ${stats(all, latency)} | ${stats(all, answered)} |`,
    '',
    "Where the time goes (from each workflow's history event times and its local activity markers; activities run at once",
    'overlap, so rows do not add up; an activity retried would show as attempt n):',
    '',
    `| phase | one at a time: p50 | p95 | batches of ${CONCURRENT}: p50 | p95 |`,
    '| --- | --- | --- | --- | --- |',
    ...phaseRows,
    '',
    'The fix that got here: budgetChange used to audit the decision, then recheck the guardrails, as two activities in turn, each',
    'a round trip through the server (workflow task, queue, run) before the write could be scheduled; this bench measured p95',
    '1470 ms then (batches of 5: p50 672 ms, p95 1518 ms; load 5.5 to 11). Both now run at once as local activities inside the',
    'workflow task the Update arrives in (workflows/budget-change.ts, patched so open runs replay the old order). The page now',
    'answers when that task completes, so after the recheck: the click-to-page time includes it.',
    '',
    `Machine: ${machine()}. \`cat /proc/loadavg\`: \`${loadAtStart}\` at the start, \`${loadAtEnd}\` at the end`,
    '(other processes share the cores, so times are upper bounds).',
  ].join('\n');
  writeSection('Approval to budget written', section);
  console.log(section);
} finally {
  main.worker.shutdown();
  await running;
  await connection.close();
  await sandbox.close();
  await smtp.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
