import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../scripts/temporal.mjs';
import { repoRoot } from './processes';
import { cachedWorkflowBundle } from './workflow-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

/** `npm run build`, as its own process: Node resolves the packages exactly as it will for dist/. */
async function buildDist(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
}

/**
 * One real Temporal dev server for the whole run (in memory, headless), one workflow bundle, and
 * dist/ built from this checkout for the tests that run the CLI or the worker as processes.
 */
export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'scaleflow-test-'));
  const [server, workflowBundlePath] = await Promise.all([
    startDevServer({ uiPort: null }),
    cachedWorkflowBundle(),
    buildDist(),
  ]);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratchDir);
  return async () => {
    await server.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
}
