// Makes a fresh clone runnable: npm dependencies, then the Temporal CLI. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from './temporal.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function dependenciesCurrent() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return false;
  // npm writes node_modules/.package-lock.json on install; a lockfile change means a re-install.
  const want = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
  return Object.entries(want).every(([path, meta]) => path === '' || meta.optional || have[path]?.version === meta.version);
}

if (!dependenciesCurrent()) {
  // Not `npm ci`: npm 11 leaves other platforms' optional binaries (DuckDB, swc) out of the lockfile
  // and `npm ci` then refuses it as out of sync. `install --no-save` installs the locked versions
  // and leaves package-lock.json as it is.
  console.error('[bootstrap] installing npm dependencies from package-lock.json');
  const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Browser tests (approval page, report page) drive Debian's Chromium through playwright-core; no
// browser download works here, so the system package is the only source.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canApt) {
    console.error(`[bootstrap] ${CHROMIUM} is missing; install Debian's chromium package (browser tests need it)`);
    process.exit(1);
  }
  console.error('[bootstrap] installing chromium and fonts from Debian (browser tests)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core']]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

try {
  ensureTemporalCli({ log: (line) => console.error(`[bootstrap] ${line}`) });
} catch (err) {
  console.error(`[bootstrap] ${err.message}`);
  process.exit(1);
}
