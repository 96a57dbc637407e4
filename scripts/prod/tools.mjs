// What the production check needs on a fresh machine, found or installed: PostgreSQL from Debian's
// packages, and the Temporal server and its SQL tool built from the Go module proxy into the same
// cache as the CLI (scripts/temporal.mjs), so only the first run pays for the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_BIN, ensureTemporalCli } from '../temporal.mjs';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

function runs(path, args) {
  return existsSync(path) && spawnSync(path, args, { stdio: 'ignore' }).status === 0;
}

function goBinary() {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(candidate, ['version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('Go is missing, so the Temporal server cannot be built: install Go 1.23+ (https://go.dev/dl)');
}

/** Debian puts initdb and postgres under /usr/lib/postgresql/<major>/bin, off PATH. */
function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return majors
    .map((v) => join(base, v, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

export function ensurePostgres({ log }) {
  const found = findPostgresBin();
  if (found) return found;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt)
    throw new Error('PostgreSQL is not installed: `apt-get install -y postgresql` (as root), then run this again');
  log('installing PostgreSQL from Debian (apt-get install postgresql)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  const installed = findPostgresBin();
  if (!installed) throw new Error('apt-get installed postgresql but no initdb was found under /usr/lib/postgresql');
  return installed;
}

/** `server` and `sql` (the names `go install` gives cmd/server and cmd/tools/sql) in the cache. */
export function ensureTemporalServer({ log }) {
  const server = join(CACHE_BIN, 'server');
  const sql = join(CACHE_BIN, 'sql');
  const current = () =>
    runs(server, ['--version']) &&
    spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout.includes(TEMPORAL_SERVER_VERSION.slice(1)) &&
    runs(sql, ['--help']);
  if (!current()) {
    mkdirSync(CACHE_BIN, { recursive: true });
    log(
      `building the Temporal server and SQL tool ${TEMPORAL_SERVER_VERSION} into ${CACHE_BIN} (first time only, about 6 minutes)`,
    );
    const result = spawnSync(
      goBinary(),
      [
        'install',
        `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
        `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOBIN: CACHE_BIN },
      },
    );
    if (result.status !== 0 || !current())
      throw new Error(`go install of the Temporal server ${TEMPORAL_SERVER_VERSION} failed; see the output above`);
  }
  return { server, sql, schemaDir: schemaDir() };
}

/** The PostgreSQL schemas ship inside the server module, which `go install` left in the module cache. */
function schemaDir() {
  const modcache = spawnSync(goBinary(), ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  const dir = join(modcache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(join(dir, 'temporal', 'versioned'))) {
    // A cleaned module cache with a cached binary: fetch the module (sources only, no build).
    spawnSync(goBinary(), ['mod', 'download', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: CACHE_BIN,
    });
  }
  if (!existsSync(join(dir, 'temporal', 'versioned')))
    throw new Error(`the Temporal PostgreSQL schema is not in ${dir}`);
  return dir;
}

export function ensureProdTools({ log = console.error } = {}) {
  return { pgBin: ensurePostgres({ log }), temporal: ensureTemporalServer({ log }), cli: ensureTemporalCli({ log }) };
}
