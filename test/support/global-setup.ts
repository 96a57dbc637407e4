import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../scripts/temporal.mjs';
import { workflowsPath } from '../../workers/worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

/** One real Temporal dev server for the whole run (in memory, headless), and one workflow bundle. */
export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'scaleflow-test-'));
  const [server, bundle] = await Promise.all([
    startDevServer({ uiPort: null }),
    bundleWorkflowCode({ workflowsPath, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never }),
  ]);
  const workflowBundlePath = join(scratchDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratchDir);
  return async () => {
    await server.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
}
