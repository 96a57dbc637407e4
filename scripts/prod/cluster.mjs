// A throwaway Temporal cluster as a team runs one: PostgreSQL (its own initdb in a temp folder),
// Temporal's schema applied by Temporal's SQL tool, the server with mTLS required on the frontend
// and between its services, on free ports of 127.0.0.1. Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, SEARCH_ATTRIBUTES } from '../temporal.mjs';

const DB_USER = 'temporal';
const DB_PASSWORD = 'temporal'; // trust auth on 127.0.0.1 of a throwaway cluster; the plugin wants one

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a child, keeping the tail of its output for the error that says why it died. */
function startChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let tail = '';
  const keep = (chunk) => (tail = (tail + chunk).slice(-6000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, exited, tail: () => tail };
}

async function stopChild(started, signal = 'SIGTERM', graceMs = 15_000) {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill(signal);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  await started.exited;
  clearTimeout(timer);
}

async function until(what, check, timeoutMs, started) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started && started.child.exitCode !== null)
      throw new Error(`${what}: the process exited (${started.child.exitCode})\n${started.tail()}`);
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`${what}: not ready within ${timeoutMs} ms\n${started?.tail() ?? ''}`);
}

/** initdb refuses root: as root, the cluster belongs to Debian's `postgres` user. */
function postgresUser() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error('running as root, and there is no `postgres` user to own the database cluster');
  return { uid, gid };
}

/** A PostgreSQL cluster in dir/pg on a free port; max_connections raised for Temporal's four services' pools. */
export async function startPostgres(dir, pgBin) {
  const owner = postgresUser();
  const data = join(dir, 'pg', 'data');
  const sockets = join(dir, 'pg', 'run');
  mkdirSync(data, { recursive: true });
  mkdirSync(sockets, { recursive: true });
  if (owner.uid !== undefined) {
    chmodSync(dir, 0o711);
    for (const path of [join(dir, 'pg'), data, sockets]) chownSync(path, owner.uid, owner.gid);
  }
  const init = spawnSync(
    join(pgBin, 'initdb'),
    ['-D', data, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--no-sync'],
    { encoding: 'utf8', ...owner },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stderr}`);
  const port = await freePort();
  // Throwaway data: durability settings off, so schema setup and the day's run are not disk-bound.
  const settings = [
    'listen_addresses=127.0.0.1',
    'max_connections=300',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'shared_buffers=64MB',
  ];
  const started = startChild(
    join(pgBin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', sockets, ...settings.flatMap((s) => ['-c', s])],
    owner,
  );
  const ready = () =>
    spawnSync(join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER], { stdio: 'ignore' })
      .status === 0;
  await until('PostgreSQL', ready, 30_000, started);
  return {
    port,
    pid: started.child.pid,
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is left for recovery.
    stop: () => stopChild(started, 'SIGINT'),
  };
}

/** Temporal's two databases, each created and brought to the server's version by its own SQL tool. */
export function setupTemporalSchema({ sql, schemaDir }, pgPort) {
  for (const [db, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ]) {
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      '127.0.0.1',
      '-p',
      String(pgPort),
      '-u',
      DB_USER,
      '--pw',
      DB_PASSWORD,
      '--db',
      db,
    ];
    for (const command of [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '-d', join(schemaDir, schema, 'versioned')],
    ]) {
      const result = spawnSync(sql, [...base, ...command], { encoding: 'utf8' });
      if (result.status !== 0)
        throw new Error(`temporal sql tool ${command[0]} on ${db} failed:\n${result.stdout}\n${result.stderr}`);
    }
  }
}

function datastore(database, pgPort, maxConns) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${pgPort}`,
      connectProtocol: 'tcp',
      user: DB_USER,
      password: DB_PASSWORD,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/**
 * The server's configuration (YAML is a superset of JSON, so JSON it is). mTLS is required on the
 * frontend and internode; the system worker gets its own client certificate, without which
 * schedules never fire while health still says SERVING.
 */
function serverConfig({ pgPort, ports, certs }) {
  const serverTls = {
    certFile: certs.server.cert,
    keyFile: certs.server.key,
    clientCaFiles: [certs.ca],
    requireClientAuth: true,
  };
  const client = { serverName: 'localhost', rootCaFiles: [certs.ca] };
  const rpc = (name) => ({
    grpcPort: ports[`${name}Grpc`],
    membershipPort: ports[`${name}Membership`],
    bindOnIP: '127.0.0.1',
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': datastore('temporal', pgPort, 20),
        'postgres-visibility': datastore('temporal_visibility', pgPort, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      tls: {
        internode: { server: serverTls, client },
        frontend: { server: serverTls, client },
        systemWorker: { certFile: certs.clients.systemWorker.cert, keyFile: certs.clients.systemWorker.key, client },
      },
    },
    services: {
      frontend: { rpc: { ...rpc('frontend'), httpPort: ports.frontendHttp } },
      history: { rpc: rpc('history') },
      matching: { rpc: rpc('matching') },
      worker: { rpc: rpc('worker') },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `localhost:${ports.frontendGrpc}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

/** `temporal` CLI arguments that reach this cluster over mTLS as the given client. */
export function cliTlsArgs(address, certs, who) {
  return [
    '--address',
    address,
    '--tls-ca-path',
    certs.ca,
    '--tls-cert-path',
    certs.clients[who].cert,
    '--tls-key-path',
    certs.clients[who].key,
    '--tls-server-name',
    'localhost',
  ];
}

/**
 * Starts the server from dir/temporal/config/scaleflow.yaml, waits until the frontend serves over
 * mTLS, then registers the namespace and scaleflow's search attributes through the CLI.
 */
/**
 * A free port below 32768: Temporal's PostgreSQL schema keeps membership ports in a smallint, and
 * the kernel's ephemeral range (where port 0 lands) starts above it.
 */
async function freeLowPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise((done) => {
      const probe = createServer();
      probe.once('error', () => done(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
    });
    if (free) return port;
  }
}

export async function startTemporalServer(
  dir,
  { server, cli, pgPort, certs, namespace = 'default', operator = 'operator' },
) {
  const names = [
    'frontendGrpc',
    'frontendMembership',
    'frontendHttp',
    'historyGrpc',
    'historyMembership',
    'matchingGrpc',
    'matchingMembership',
    'workerGrpc',
    'workerMembership',
  ];
  const ports = {};
  for (const name of names) ports[name] = name.endsWith('Membership') ? await freeLowPort() : await freePort();
  const root = join(dir, 'temporal');
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(
    join(root, 'config', 'scaleflow.yaml'),
    JSON.stringify(serverConfig({ pgPort, ports, certs }), null, 2),
  );
  // Global flags go before `start`; no authorizer is configured, which the server makes explicit.
  const started = startChild(server, [
    '--root',
    root,
    '--config',
    'config',
    '--env',
    'scaleflow',
    '--allow-no-auth',
    'start',
  ]);
  const address = `127.0.0.1:${ports.frontendGrpc}`;
  const tls = cliTlsArgs(address, certs, operator);
  const cliOk = (args) => spawnSync(cli, [...args, ...tls], { stdio: 'ignore', timeout: 15_000 }).status === 0;
  await until('Temporal frontend (mTLS)', () => cliOk(['operator', 'cluster', 'health']), 90_000, started);
  if (!cliOk(['operator', 'namespace', 'describe', '--namespace', namespace])) {
    const created = spawnSync(
      cli,
      ['operator', 'namespace', 'create', '--namespace', namespace, '--retention', '24h', ...tls],
      { encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`namespace create failed:\n${created.stderr}`);
  }
  await until(
    `namespace ${namespace}`,
    () => cliOk(['operator', 'namespace', 'describe', '--namespace', namespace]),
    30_000,
    started,
  );
  // The operator service finds a new namespace through its registry cache, which refreshes on its own
  // schedule: "Namespace ... is not found" right after create is that lag, and is asked again.
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    let lastError = '';
    await until(
      `search attribute ${name}`,
      () => {
        const made = spawnSync(
          cli,
          ['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name, '--type', type, ...tls],
          { encoding: 'utf8' },
        );
        if (made.status === 0 || /already exists/i.test(made.stderr)) return true;
        if (!/namespace \S+ is not found/i.test(made.stderr))
          throw new Error(`search attribute ${name}: ${made.stderr}`);
        lastError = made.stderr;
        return false;
      },
      30_000,
      started,
    ).catch((err) => {
      throw new Error(`${err.message}\n${lastError}`);
    });
  }
  return { address, pid: started.child.pid, tail: started.tail, stop: () => stopChild(started) };
}
