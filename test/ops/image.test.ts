import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layOutRuntime, productionPackages, runtimeCopies } from '../../scripts/prod/runtime-layout.mjs';
import { repoRoot, waitFor } from '../support/processes';
import { testConfig, workerProcessEnv } from '../support/temporal';

/**
 * Issue 17 item 5: the image runs the compiled code with production dependencies only. The
 * Dockerfile's runtime stage is laid out in a temp folder exactly as its COPY lines say, and the
 * worker is started from there: a file the stage forgets, or a dev dependency (tsx) the compiled
 * code imports, stops it. (test:prod runs a whole day from the same layout.)
 */
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages[stages.length - 1]!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Dockerfile', () => {
  it('builds in one stage (npm ci, npm run build, the workflow bundle) and runs dist/ in another', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^RUN npm ci --no-audit/m);
    expect(stages[0]).toMatch(/npm run build/);
    expect(stages[0]).toMatch(/build-bundle\.ts \/app\/dist\/workflow-bundle\.js/);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "\/app\/dist\/scaleflow\.js"\]$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/tsx/);
  });

  it('copies into the runtime stage only what runs: no sources, no sample campaign map', () => {
    const copied = runtimeCopies(dockerfile).map((c) => c.source);
    for (const source of ['lib', 'workflows', 'workers', 'activities', 'scripts', 'data/campaign-map.csv', '.'])
      expect(copied).not.toContain(source);
    expect(copied).toContain('dist');
  });

  it('has tsx only as a dev dependency, so npm ci --omit=dev leaves it out', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    const production = productionPackages(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
    expect(production).toContain('@temporalio/worker');
    expect(production).not.toContain('tsx');
    expect(production).not.toContain('esbuild');
  });

  it('the worker starts from the runtime layout alone and serves /healthz', async () => {
    const into = mkdtempSync(join(tmpdir(), 'scaleflow-image-'));
    dirs.push(into);
    layOutRuntime({ root: repoRoot, into });
    expect(existsSync(join(into, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(into, 'lib'))).toBe(false);
    const config = testConfig();
    const child = spawn(process.execPath, ['dist/worker.js'], {
      cwd: into,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ...workerProcessEnv(config, { LOG_LEVEL: 'INFO', RULES_DIR: join(into, 'rules') }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    try {
      const url = await waitFor(
        () =>
          /HTTP \(API, approval pages, \/healthz\) on ([^\s"]+)/.exec(output)?.[1] ??
          (child.exitCode !== null && `exit:${child.exitCode}`),
        60_000,
        'the worker to serve HTTP',
      );
      expect(url, output).toMatch(/^http:/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
