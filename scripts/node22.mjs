// The upper supported Node (package.json "engines") runs a slice of the suite that touches every
// native module and the DOM: DuckDB, Temporal's core bridge (real dev server and worker), resvg,
// jsdom under Plot, Chromium on the approval page. Node 22 comes from the npm registry (the `node`
// package), the one place this machine and CI can download it from. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.env.SCALEFLOW_NODE22 ?? 'node@22';
const SLICE = [
  'test/unit/decisions/sandbox.test.ts',
  'test/unit/payload-codec.test.ts',
  'test/unit/progress.test.ts',
  'test/reports/cells.test.ts',
  'test/reports/email.test.ts',
  'test/ingest/load.test.ts',
  'test/approvals/page.test.ts',
  'test/replay.test.ts',
];

function run(args) {
  const result = spawnSync('npx', ['--yes', '--package', NODE, '--', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([
  'node',
  '-e',
  'if (!process.version.startsWith("v22.")) { console.error("not Node 22:", process.version); process.exit(1) }',
]);
// Timeouts as the main run's, doubled: this slice runs after the whole suite and the production check.
run(['node', 'node_modules/vitest/vitest.mjs', 'run', '--testTimeout=120000', '--hookTimeout=240000', ...SLICE]);
