import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../scripts/temporal.mjs';
import { cachedWorkflowBundle } from './workflow-bundle';

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
  const [server, workflowBundlePath] = await Promise.all([startDevServer({ uiPort: null }), cachedWorkflowBundle()]);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratchDir);
  return async () => {
    await server.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
}
