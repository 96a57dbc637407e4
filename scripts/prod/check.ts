// `npm run test:prod`: the production topology on this machine, without Docker. PostgreSQL from
// Debian, the Temporal server built from the Go module proxy with its schema applied by its own
// SQL tool, mTLS on every connection with a CA made by openssl, and scaleflow's processes started
// from the image's runtime layout (scripts/prod/runtime-layout.mjs) with the payload codec on.
// It runs a day on the sample data through 1 warehouse, 2 meta, 1 io and 1 api process, kills a
// meta replica mid-sync and the warehouse mid-load, clicks an approval while the warehouse is down,
// and checks the warehouse's rows and Meta's writes came out exactly once, and that an exported
// history holds no plaintext approver data. Everything it starts is stopped and its folder removed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { parse } from 'csv-parse/sync';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { dateIn } from '../../lib/dates';
import { workflowIds } from '../../lib/names';
import { hourOf } from '../../lib/meta/hour';
import { SAMPLE_OWNERS } from '../../lib/sample/strategis';
import { parseEnvironment } from '../../workers/config-env';
import { demoCampaigns, seedInbox } from '../../workers/demo/setup';
import { sandboxForSample } from '../../workers/meta-sandbox/sample';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { Warehouse } from '../../services/warehouse/warehouse';
import { connectClient } from '../../workers/temporal-client';
import type { DailyRunSummary } from '../../workflows/daily-pipeline';
import type { SpendSyncResult } from '../../workflows/spend-sync-steps';
import { freePort } from '../temporal.mjs';
import { makeCertificates } from './certs.mjs';
import { cliTlsArgs, setupTemporalSchema, startPostgres, startTemporalServer } from './cluster.mjs';
import { startRole, stopRole, waitHealthy, type Running } from './processes';
import { ROLES } from './roles';
import { approvalWhileWarehouseDown, dayWithWarehouseKilled, syncWithMetaKilled, type Topology } from './scenarios';
import { layOutRuntime } from './runtime-layout.mjs';
import { ensureProdTools } from './tools.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const t0 = Date.now();
const log = (line: string) => console.error(`[test:prod ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const cleanups: (() => Promise<void> | void)[] = [];

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`CHECK FAILED: ${message}`);
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
    for (const [key, value] of Object.entries(record))
      if (!/searchAttributes|^patch-data$/i.test(key)) walk(value, `${path}.${key}`);
  };
  walk(history, '');
  return { payloads, plain };
}

/** Every base64 string in an exported history, decoded, so text inside payloads is searchable too. */
function decodedText(history: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(node) && node.length % 4 === 0)
      parts.push(Buffer.from(node, 'base64').toString('latin1'));
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
  const bundle = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'workers/build-bundle.ts', join(app, 'dist', 'workflow-bundle.js')],
    { cwd: root, encoding: 'utf8' },
  );
  check(bundle.status === 0, `workflow bundle build failed:\n${bundle.stderr}`);
  log('runtime layout ready (Dockerfile COPY lines, production dependencies only, workflow bundle)');

  const certs = makeCertificates(dir, { clients: ['systemWorker', 'operator', 'scaleflow'] });
  const pg = await startPostgres(dir, tools.pgBin);
  cleanups.push(() => pg.stop());
  log(`PostgreSQL on 127.0.0.1:${pg.port}`);
  setupTemporalSchema(tools.temporal, pg.port);
  log('Temporal schema applied by temporal-sql-tool (temporal, temporal_visibility)');
  const server = await startTemporalServer(dir, {
    server: tools.temporal.server,
    cli: tools.cli,
    pgPort: pg.port,
    certs,
  });
  cleanups.push(() => server.stop());
  log(`Temporal server (mTLS required) at ${server.address}, namespace default registered`);

  // Meta is outside the deployment: the Graph API sandbox with the sample's campaigns.
  const asOf = dateIn('America/New_York', new Date());
  const sandbox = await startMetaSandbox({ state: sandboxForSample(demoCampaigns(asOf)) });
  cleanups.push(() => sandbox.close());

  const state = join(dir, 'state');
  mkdirSync(state);
  // Each HTTP role on its own port: the api's approval pages are PUBLIC_BASE_URL, the warehouse's JSON API beside it.
  const ports = { api: await freePort(), warehouse: await freePort() };
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
    // Shared by meta (writes the pages) and the warehouse (loads them), as compose's volume is.
    SPOOL_DIR: join(state, 'spool'),
    ARCHIVE_DIR: join(state, 'archive'),
    REPORTS_DIR: join(state, 'reports'),
    OUTBOX_DIR: join(state, 'outbox'),
    // The operator's files (compose mounts them at /etc/scaleflow).
    APPROVERS_FILE: join(root, 'data', 'approvers.example.json'),
    CAMPAIGN_MAP_FILE: join(root, 'data', 'campaign-map.csv'),
    RULES_DIR: join(app, 'rules'),
    HTTP_HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${ports.api}`,
    REPORT_RECIPIENTS: SAMPLE_OWNERS.map((o) => `${o}=${o}@example.com`).join(','),
    REPORT_TEAM_RECIPIENTS: 'team-lead@example.com',
  };

  const live = new Map<string, Running>();
  const launch = async (name: string): Promise<Running> => {
    const role = ROLES.find((r) => r.name === name)!;
    const running = startRole(role, app, { ...env, ...(role.http ? { HTTP_PORT: String(ports[role.http]) } : {}) });
    live.set(name, running);
    if (role.http) await waitHealthy(`http://127.0.0.1:${ports[role.http]}/healthz`, running);
    return running;
  };
  const topology: Topology = {
    get: (name) => live.get(name)!,
    restart: launch,
    stop: (name) => stopRole(live.get(name)!),
    log,
  };
  cleanups.push(() => Promise.all([...live.values()].map(stopRole)).then(() => undefined));
  await Promise.all(ROLES.map((r) => launch(r.name)));
  log(
    `scaleflow processes up from the runtime layout: ${[...live.values()].map((r) => `${r.role.name} (pid ${r.child.pid})`).join(', ')}`,
  );

  // The check's own client is an operator over mTLS with the keys, as `scaleflow run` would be.
  const config = parseEnvironment({ ...env, ...tls('operator') });
  const client = await connectClient(config);
  cleanups.push(() => client.connection.close());
  const seeded = await seedInbox(config, asOf);
  // The sample writes every row valid, one per (date, campaign): the load must store each once.
  const fileRows = (parse(readFileSync(seeded), { from_line: 2 }) as string[][]).length;

  const hour = hourOf(Date.now());
  const dayStart = Date.now();
  const parent = workflowIds.spendSync(hour);
  const killedMeta = await syncWithMetaKilled(
    client,
    config,
    sandbox,
    topology,
    { parent, childOf: (account) => workflowIds.spendSyncAccount(parent, hour, account) },
    hour,
  );
  const synced = (await client.workflow.getHandle(parent).result()) as SpendSyncResult;
  check(synced.campaigns > 0, `the spend sync read no campaign: ${JSON.stringify(synced)}`);
  log(
    `spend sync complete: ${synced.campaigns} campaigns; ${killedMeta.victim}'s read of ${killedMeta.child} finished by ${killedMeta.survivor}`,
  );

  const summary = await dayWithWarehouseKilled<DailyRunSummary>(client, topology, () =>
    client.workflow.start('dailyPipeline', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: workflowIds.daily(asOf),
      args: [{ date: asOf, timeZone: config.TZ }],
    }),
  );
  const handle = client.workflow.getHandle(workflowIds.daily(asOf));
  const dayMs = Date.now() - dayStart;
  check(summary.report !== null && summary.report.pages.length > 0, 'the day wrote no report page');
  log(
    `day ${asOf} complete in ${(dayMs / 1000).toFixed(1)}s (both kills included): ${synced.campaigns} campaigns synced, ${fileRows} rows in the file, ${summary.decisions.proposed.length} budget changes proposed, report ${summary.report!.pages[0]}`,
  );

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
  // The approved change's history then also carries the approver's decision for the export below.
  await approvalWhileWarehouseDown(client, config, sandbox, topology, changes[0]!);
  const exported = spawnSync(
    tools.cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      changes[0]!,
      '--output',
      'json',
      ...cliTlsArgs(server.address, certs, 'operator'),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  check(exported.status === 0, `temporal workflow show failed: ${exported.stderr}`);
  const daily = historyToJSON(await handle.fetchHistory());
  for (const [what, text] of [
    [`temporal workflow show ${changes[0]}`, exported.stdout],
    [`dailyPipeline history`, daily],
  ] as const) {
    const { payloads, plain } = payloadsOf(JSON.parse(text));
    check(
      payloads > 0 && plain.length === 0,
      `${what}: ${plain.length} of ${payloads} payloads are not encrypted (${plain.slice(0, 3).join(', ')})`,
    );
    for (const approver of approvers)
      check(
        !decodedText(JSON.parse(text)).includes(approver) && !text.includes(approver),
        `${what} holds the approver ${approver} in plaintext`,
      );
  }
  log(
    `exported histories hold none of ${approvers.size} approver addresses in plaintext (${changes.length} budget changes)`,
  );
  // Read before anything is stopped, so a role that died on its own during the day shows.
  for (const r of live.values())
    check(
      r.child.exitCode === null && r.child.signalCode === null,
      `${r.role.name} exited during the check:\n${r.output()}`,
    );

  // The warehouse's rows, read from the DuckDB file once its one owner has stopped (as `scaleflow query` does).
  await topology.stop('warehouse');
  const warehouse = await Warehouse.open(env.SCALEFLOW_DB!, { readOnly: true });
  try {
    const snap = (await warehouse.one<Record<string, string>>(sqlText('snapshot_per_campaign'), [hour]))!;
    const sandboxCampaigns = sandbox.state.campaigns();
    const sandboxSpend = sandboxCampaigns.reduce((sum, c) => sum + c.spendMinor, 0);
    check(
      Number(snap.fewest) === 1 && Number(snap.most) === 1,
      `a campaign's snapshot for ${hour} is not there exactly once (rows per campaign: ${snap.fewest} to ${snap.most})`,
    );
    check(
      Number(snap.campaigns) === sandboxCampaigns.length,
      `${snap.campaigns} campaigns synced, the sandbox has ${sandboxCampaigns.length}`,
    );
    check(
      Number(snap.spend_cents) === sandboxSpend,
      `synced spend ${snap.spend_cents} cents, the sandbox's is ${sandboxSpend}`,
    );
    log(
      `warehouse: each of ${snap.campaigns} campaigns synced exactly once for ${hour}, spend ${sandboxSpend} cents as the sandbox's`,
    );
    const facts = (await warehouse.one<Record<string, string>>(sqlText('facts_per_key')))!;
    check(
      Number(facts.rows) === fileRows && Number(facts.keys) === fileRows,
      `the load stored ${facts.rows} rows over ${facts.keys} keys; the file has ${fileRows} valid rows`,
    );
    check(
      Number(facts.batches) === 1 && Number(facts.loaded_batches) === 1,
      `the file was loaded as ${facts.batches} batches (${facts.loaded_batches} recorded loaded), not once`,
    );
  } finally {
    warehouse.close();
  }
  log(`warehouse: the killed load stored the file's ${fileRows} rows once (one batch, no duplicate key)`);
  log(`PASS (total ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

const sqlText = (name: string) => readFileSync(join(root, 'scripts', 'prod', 'sql', `${name}.sql`), 'utf8');

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
