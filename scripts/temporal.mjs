// Finds, builds and starts the real Temporal CLI dev server. Node built-ins only, because it runs
// before `npm install` on a fresh clone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// v1.5.1 is the newest release `go install` builds; later ones carry a replace directive.
export const PINNED_VERSIONS = ['v1.5.1', 'v1.4.1', 'v1.3.0'];
export const CACHE_BIN = process.env.SCALEFLOW_CACHE_BIN ?? join(homedir(), '.cache', 'scaleflow', 'bin');

// Search attributes the budget-change workflows set, so ops can filter them in the Web UI.
export const SEARCH_ATTRIBUTES = {
  ScaleflowOwner: 'Keyword',
  ScaleflowCampaign: 'Keyword',
  ScaleflowChangeType: 'Keyword',
  ScaleflowState: 'Keyword',
};

function isExecutable(path, versionArgs = ['--version']) {
  if (!path || !existsSync(path)) return false;
  return spawnSync(path, versionArgs, { stdio: 'ignore' }).status === 0;
}

function onPath(name, versionArgs) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate, versionArgs)) return candidate;
  }
  return undefined;
}

// `go` has no --version flag; `go version` is its probe. /usr/local/go is where the Go images put it.
function findGo() {
  return (
    onPath('go', ['version']) ??
    (isExecutable('/usr/local/go/bin/go', ['version']) ? '/usr/local/go/bin/go' : undefined)
  );
}

/** TEMPORAL_CLI, then PATH, then the cache folder; undefined when it is nowhere. */
export function findTemporalCli() {
  if (process.env.TEMPORAL_CLI) {
    if (isExecutable(process.env.TEMPORAL_CLI)) return process.env.TEMPORAL_CLI;
    throw new Error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable Temporal CLI`);
  }
  return onPath('temporal') ?? (isExecutable(join(CACHE_BIN, 'temporal')) ? join(CACHE_BIN, 'temporal') : undefined);
}

/** Builds the CLI once from the Go module proxy into the cache; later calls reuse it. */
export function ensureTemporalCli({ log = console.error } = {}) {
  const found = findTemporalCli();
  if (found) return found;
  const go = findGo();
  if (!go) {
    throw new Error(
      'The Temporal CLI is not installed and Go is missing, so it cannot be built.\n' +
        'Install Go 1.22+ (https://go.dev/dl or `apt-get install golang`), or point TEMPORAL_CLI at a temporal binary.',
    );
  }
  mkdirSync(CACHE_BIN, { recursive: true });
  for (const version of PINNED_VERSIONS) {
    log(`[temporal] building the Temporal CLI ${version} into ${CACHE_BIN} (first time only, takes several minutes)`);
    for (const ldflags of [[], ['-ldflags=-checklinkname=0']]) {
      const result = spawnSync(go, ['install', ...ldflags, `github.com/temporalio/cli/cmd/temporal@${version}`], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOBIN: CACHE_BIN },
      });
      if (result.status === 0 && isExecutable(join(CACHE_BIN, 'temporal'))) return join(CACHE_BIN, 'temporal');
    }
  }
  throw new Error(`go install of the Temporal CLI failed for ${PINNED_VERSIONS.join(', ')}; see the output above`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function portAnswers(port, host = '127.0.0.1') {
  return new Promise((done) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Waits until the frontend answers a namespace call through the CLI itself (not only the TCP port). */
async function waitUntilReady(cli, address, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const [host, port] = address.split(':');
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server exited early with code ${child.exitCode}`);
    if (await portAnswers(Number(port), host)) {
      const probe = spawnSync(
        cli,
        ['operator', 'namespace', 'describe', '--address', address, '--namespace', 'default'],
        {
          stdio: 'ignore',
          timeout: 10_000,
        },
      );
      if (probe.status === 0) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`temporal server at ${address} did not answer within ${timeoutMs} ms`);
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1. Returns { address, uiUrl, stop }.
 * dbFile: SQLite file to persist to (omit for in-memory); uiPort: null for headless.
 */
export async function startDevServer({
  port,
  uiPort = 8233,
  dbFile,
  logLevel = 'error',
  quiet = true,
  timeoutMs = 90_000,
} = {}) {
  const cli = ensureTemporalCli();
  const grpcPort = port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(grpcPort), '--log-level', logLevel];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (dbFile) {
    mkdirSync(resolve(dbFile, '..'), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(cli, args, { stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const address = `127.0.0.1:${grpcPort}`;
  try {
    await waitUntilReady(cli, address, child, timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  }
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return { address, uiUrl: uiPort === null ? undefined : `http://127.0.0.1:${uiPort}`, pid: child.pid, stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'ensure';
  if (command === 'ensure') {
    console.log(ensureTemporalCli());
  } else {
    console.error(`usage: node scripts/temporal.mjs ensure`);
    process.exit(2);
  }
}
