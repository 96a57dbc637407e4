// Makes a fresh clone runnable: npm dependencies, then the Temporal CLI. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
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
  return Object.entries(want).every(
    ([path, meta]) => path === '' || meta.optional || have[path]?.version === meta.version,
  );
}

if (!dependenciesCurrent()) {
  // npm ci empties node_modules first, and through a symlink that is another checkout's tree.
  const modules = join(root, 'node_modules');
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
    console.error(
      `[bootstrap] node_modules is out of date and links to ${readlinkSync(modules)}: run npm ci in that checkout, or remove the link`,
    );
    process.exit(1);
  }
  // `npm ci`, as CI and the Dockerfile run it: the locked versions exactly, and a lockfile that has
  // drifted from package.json stops here instead of being quietly re-resolved.
  console.error('[bootstrap] installing npm dependencies from package-lock.json (npm ci)');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
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
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'],
  ]) {
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
