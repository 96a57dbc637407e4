// `npm run build`: the CLI and the worker compiled ahead of time into dist/ (scaleflow.js,
// worker.js and their shared chunks), so a process starts without tsx compiling every file again.
// Same esbuild transform tsx applies at run time; npm packages stay in node_modules.
// dist/ sits one folder below the checkout like services/ and workers/, so the files the code
// reads beside the checkout (data/, reports/, templates, workflows/; see services/paths.ts)
// resolve the same from both.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const distDir = join(root, 'dist');
const entryPoints = { scaleflow: 'workers/cli/main.ts', worker: 'workers/worker-main.ts', ...reportCells() };

/**
 * Report cells are .ts files the worker imports at run time; compiled beside the bundles
 * (dist/reports/<report>/cells/<id>.js, sharing their chunks), the compiled worker needs no
 * TypeScript loader for them (services/reports/catalog.ts falls back to tsx for newer ones).
 */
function reportCells() {
  const cells = {};
  for (const report of readdirSync(join(root, 'reports'), { withFileTypes: true })) {
    if (!report.isDirectory()) continue;
    const dir = join('reports', report.name, 'cells');
    if (!existsSync(join(root, dir))) continue;
    for (const file of readdirSync(join(root, dir))) {
      if (file.endsWith('.ts')) cells[join(dir, file.slice(0, -3))] = join(dir, file);
    }
  }
  return cells;
}

/**
 * Packages stay external. A deep import (`@temporalio/common/lib/time`) is written out as the file
 * it resolves to when Node's ESM loader cannot find it as written (it adds no `.js`, unlike tsx).
 * The dependency-free scripts stay separate files: scripts/temporal.mjs checks whether it is the
 * main module through import.meta.url, which would be the bundle's own URL inside it.
 */
function resolvesAsEsm(specifier) {
  try {
    return existsSync(fileURLToPath(import.meta.resolve(specifier)));
  } catch {
    return false;
  }
}

const keepExternal = {
  name: 'keep-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const parts = args.path.split('/');
      const packageParts = args.path.startsWith('@') ? 2 : 1;
      if (args.path.startsWith('node:') || parts.length <= packageParts || resolvesAsEsm(args.path))
        return { path: args.path, external: true };
      return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
    });
    b.onResolve({ filter: /\/scripts\/[^/]+\.mjs$/ }, (args) => ({
      path: relative(distDir, join(args.resolveDir, args.path)),
      external: true,
    }));
  },
};

/**
 * Builds dist/ from the checkout; returns the paths of the two entry points. The build goes to a
 * sibling folder first and replaces dist/ in one step, so a process starting meanwhile (another
 * test run's CLI, say) finds the old tree or the new one, never half of one.
 */
async function buildDist() {
  const staging = `${distDir}.${process.pid}.tmp`;
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    plugins: [keepExternal],
    logLevel: 'warning',
  });
  rmSync(distDir, { recursive: true, force: true });
  renameSync(staging, distDir);
  return { cli: join(distDir, 'scaleflow.js'), worker: join(distDir, 'worker.js') };
}

const { cli, worker } = await buildDist();
console.log(`built ${relative(process.cwd(), cli)} and ${relative(process.cwd(), worker)}`);
