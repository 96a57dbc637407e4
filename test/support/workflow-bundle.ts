import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../activities/paths';
import { repoRoot } from './processes';

/** Every file a workflow bundle is built from: the workflows, the pure lib code they import, the lockfile. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : [path];
  });
}

/**
 * The workflow bundle for the test run, reused from node_modules/.cache while no source it is
 * built from has changed: bundling costs ten seconds of CPU on every run otherwise.
 */
export async function cachedWorkflowBundle(): Promise<string> {
  const files = [...sources(join(repoRoot, 'workflows')), ...sources(join(repoRoot, 'lib')), join(repoRoot, 'package-lock.json')].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  const dir = join(repoRoot, 'node_modules', '.cache', 'scaleflow-workflow-bundles');
  const path = join(dir, `${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const bundle = await bundleWorkflowCode({ workflowsPath, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, bundle.code);
  }
  return path;
}
