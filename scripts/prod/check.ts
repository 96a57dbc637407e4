// `npm run test:prod`: the production topology on this machine, without Docker. PostgreSQL from
// Debian, the Temporal server built from the Go module proxy with its schema applied by its own
// SQL tool, mTLS on every connection with a CA made by openssl, and scaleflow's processes started
// from the image's runtime layout (scripts/prod/runtime-layout.mjs) with the payload codec on.
// It runs a day on the sample data and checks that the day completes and that an exported history
// holds no plaintext approver data. Everything it starts is stopped and its folder removed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { dateIn } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { hourOf } from '../../lib/meta/hour';
import { SAMPLE_OWNERS } from '../../lib/sample/strategis';
import { parseEnvironment } from '../../workers/config-env';
import { demoCampaigns, seedInbox } from '../../workers/demo/setup';
import { sandboxForSample } from '../../workers/meta-sandbox/sample';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { connectClient } from '../../workers/temporal-client';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { freePort } from '../temporal.mjs';
import { makeCertificates } from './certs.mjs';
import { cliTlsArgs, setupTemporalSchema, startPostgres, startTemporalServer } from './cluster.mjs';
import { ROLES, type Role } from './roles';
import { layOutRuntime } from './runtime-layout.mjs';
import { ensureProdTools } from './tools.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const t0 = Date.now();
const log = (line: string) => console.error(`[test:prod ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const cleanups: (() => Promise<void> | void)[] = [];

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`CHECK FAILED: ${message}`);
}

interface Running {
  role: Role;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

function startRole(role: Role, cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, role.args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { role, child, exited, output: () => output };
}

async function stopRole(running: Running): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 40_000);
  await running.exited;
  clearTimeout(timer);
}

async function waitHealthy(url: string, running: Running, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`${running.role.name} exited (${running.child.exitCode}):\n${running.output()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${running.role.name}: ${url} not healthy within ${timeoutMs} ms:\n${running.output()}`);
}

/**
 * Payloads in an exported history (objects with metadata and data, base64 as JSON exports them).
 * Left out: search attributes (the server indexes them, so no codec touches them; scaleflow's hold
 * owner, campaign, change type and state only) and patched() markers (the SDK writes the patch id).
 */
function payloadsOf(history: unknown): { payloads: number; plain: string[] } {
  let payloads = 0;
  const plain: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const encoding = (record.metadata as Record<string, unknown> | undefined)?.encoding;
    if (typeof encoding === 'string' && 'data' in record) {
      payloads++;
      const decoded = Buffer.from(encoding, 'base64').toString('utf8');
      if (decoded !== 'binary/encrypted') plain.push(`${path}: ${decoded}`);
      return;
    }
    for (const [key, value] of Object.entries(record)) if (!/searchAttributes|^patch-data$/i.test(key)) walk(value, `${path}.${key}`);
  };
  walk(history, '');
  return { payloads, plain };
}

/** Every base64 string in an exported history, decoded, so text inside payloads is searchable too. */
function decodedText(history: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(node) && node.length % 4 === 0) parts.push(Buffer.from(node, 'base64').toString('latin1'));
    if (node !== null && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}

async function main(): Promise<void> {
  const tools = ensureProdTools({ log });
  log(`tools: PostgreSQL in ${tools.pgBin}, Temporal server ${tools.temporal.server}`);
  const dir = mkdtempSync(join(tmpdir(), 'scaleflow-prod-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  // The image's runtime stage, and the workflow bundle its build stage makes.
  const app = join(dir, 'app');
  layOutRuntime({ root, into: app });
  const bundle = spawnSync(process.execPath, ['--import', 'tsx', 'workers/build-bundle.ts', join(app, 'dist', 'workflow-bundle.js')], { cwd: root, encoding: 'utf8' });
  check(bundle.status === 0, `workflow bundle build failed:\n${bundle.stderr}`);
  log('runtime layout ready (Dockerfile COPY lines, production dependencies only, workflow bundle)');

  const certs = makeCertificates(dir, { clients: ['systemWorker', 'operator', 'scaleflow'] });
  const pg = await startPostgres(dir, tools.pgBin);
  cleanups.push(() => pg.stop());
  log(`PostgreSQL on 127.0.0.1:${pg.port}`);
  setupTemporalSchema(tools.temporal, pg.port);
  log('Temporal schema applied by temporal-sql-tool (temporal, temporal_visibility)');
  const server = await startTemporalServer(dir, { server: tools.temporal.server, cli: tools.cli, pgPort: pg.port, certs });
  cleanups.push(() => server.stop());
  log(`Temporal server (mTLS required) at ${server.address}, namespace default registered`);

  // Meta is outside the deployment: the Graph API sandbox with the sample's campaigns.
  const asOf = dateIn('America/New_York', new Date());
  const sandbox = await startMetaSandbox({ state: sandboxForSample(demoCampaigns(asOf)) });
  cleanups.push(() => sandbox.close());

  const state = join(dir, 'state');
  mkdirSync(state);
  const httpPort = await freePort();
  const secret = () => randomBytes(32).toString('base64url');
  const tls = (who: string) => ({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca,
    TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clients[who]!.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clients[who]!.key,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
  });
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    TZ: 'America/New_York',
    LOG_LEVEL: 'WARN',
    ...tls('scaleflow'),
    WORKFLOW_BUNDLE_PATH: join(app, 'dist', 'workflow-bundle.js'),
    PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    AUDIT_SECRET: secret(),
    APPROVAL_SECRET: secret(),
    JWT_SECRET: secret(),
    META_ACCESS_TOKEN: sandbox.token,
    META_GRAPH_URL: sandbox.url,
    META_AD_ACCOUNT_IDS: [...sandboxForSample(demoCampaigns(asOf)).accounts.keys()].join(','),
    SCALEFLOW_DB: join(state, 'scaleflow.duckdb'),
    INBOX_DIR: join(state, 'inbox'),
    ARCHIVE_DIR: join(state, 'archive'),
    REPORTS_DIR: join(state, 'reports'),
    OUTBOX_DIR: join(state, 'outbox'),
    // The operator's files (compose mounts them at /etc/scaleflow).
    APPROVERS_FILE: join(root, 'data', 'approvers.example.json'),
    CAMPAIGN_MAP_FILE: join(root, 'data', 'campaign-map.csv'),
    RULES_DIR: join(app, 'rules'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}`,
    REPORT_RECIPIENTS: SAMPLE_OWNERS.map((o) => `${o}=${o}@example.com`).join(','),
    REPORT_TEAM_RECIPIENTS: 'team-lead@example.com',
  };

  const running = ROLES.map((role) => startRole(role, app, env));
  cleanups.push(() => Promise.all(running.map(stopRole)).then(() => undefined));
  for (const r of running) if (r.role.http) await waitHealthy(`http://127.0.0.1:${httpPort}/healthz`, r);
  log(`scaleflow processes up from the runtime layout: ${running.map((r) => `${r.role.name} (pid ${r.child.pid})`).join(', ')}`);

  // The check's own client is an operator over mTLS with the keys, as `scaleflow run` would be.
  const config = parseEnvironment({ ...env, ...tls('operator') });
  const client = await connectClient(config);
  cleanups.push(() => client.connection.close());
  await seedInbox(config, asOf);

  const hour = hourOf(Date.now());
  const dayStart = Date.now();
  const synced = (await client.workflow.execute('spendSync', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: workflowIds.spendSync(hour), args: [{ hour }] })) as SpendSyncResult;
  check(synced.campaigns > 0, `the spend sync read no campaign: ${JSON.stringify(synced)}`);
  // TODO(queues): kill scenario 1, a meta worker SIGKILLed mid-sync: start the sync, SIGKILL
  // meta-1 once the sandbox has answered its first page, and check every campaign's snapshot row
  // for the hour exists exactly once (SELECT campaign_id, count(*) ... GROUP BY ... HAVING > 1).
  const handle = await client.workflow.start('dailyPipeline', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: workflowIds.daily(asOf), args: [{ date: asOf, timeZone: config.TZ }] });
  // TODO(queues): kill scenario 2, the warehouse killed mid-load: SIGKILL `warehouse` once the
  // load activity has started (its ActivityTaskStarted event), start it again, and check the day's
  // rows equal the file's rows (a second count would double them).
  const summary = (await handle.result()) as DailyRunSummary;
  const dayMs = Date.now() - dayStart;
  check(summary.totals.accepted > 0, `the day loaded no row: ${JSON.stringify(summary.totals)}`);
  check(summary.report !== null && summary.report.pages.length > 0, 'the day wrote no report page');
  log(`day ${asOf} complete in ${(dayMs / 1000).toFixed(1)}s: ${synced.campaigns} campaigns synced, ${summary.totals.accepted} rows loaded, ${summary.decisions.proposed.length} budget changes proposed, report ${summary.report!.pages[0]}`);

  // Approver addresses reach the budget changes' inputs, state and activities; with the codec on,
  // the server keeps only ciphertext. The client with the keys reads them back, so they are there.
  const changes = [...summary.decisions.proposed, ...summary.decisions.alreadyProposed];
  check(changes.length > 0, 'no budget change was proposed, so no history carries approver data to check');
  const approvers = new Set<string>();
  for (const id of changes) {
    const status = (await client.workflow.getHandle(id).query('status')) as BudgetChangeStatus;
    for (const a of status.approvers) approvers.add(a);
  }
  check(approvers.size > 0, 'the budget changes name no approver');
  // TODO(queues): kill scenario 3, an approval clicked while the warehouse worker is down: stop
  // `warehouse`, POST the approve link to `api`, start `warehouse` again, and check the audit row.
  const exported = spawnSync(tools.cli, ['workflow', 'show', '--workflow-id', changes[0]!, '--output', 'json', ...cliTlsArgs(server.address, certs, 'operator')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  check(exported.status === 0, `temporal workflow show failed: ${exported.stderr}`);
  const daily = historyToJSON(await handle.fetchHistory());
  for (const [what, text] of [
    [`temporal workflow show ${changes[0]}`, exported.stdout],
    [`dailyPipeline history`, daily],
  ] as const) {
    const { payloads, plain } = payloadsOf(JSON.parse(text));
    check(payloads > 0 && plain.length === 0, `${what}: ${plain.length} of ${payloads} payloads are not encrypted (${plain.slice(0, 3).join(', ')})`);
    for (const approver of approvers) check(!decodedText(JSON.parse(text)).includes(approver) && !text.includes(approver), `${what} holds the approver ${approver} in plaintext`);
  }
  log(`exported histories hold none of ${approvers.size} approver addresses in plaintext (${changes.length} budget changes)`);
  log(`PASS (total ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  // Read before the cleanups run, so a nonzero exit of a role during the day shows.
  for (const r of running) check(r.child.exitCode === null, `${r.role.name} exited during the check:\n${r.output()}`);
}

let failed = false;
const stopAll = async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      console.error(`[test:prod] cleanup: ${(err as Error).message}`);
    }
  }
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
try {
  await main();
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  const stopping = Date.now();
  await stopAll();
  log(`everything stopped and removed in ${((Date.now() - stopping) / 1000).toFixed(1)}s`);
}
process.exit(failed ? 1 : 0);
