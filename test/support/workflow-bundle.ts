import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { tracingWorkflowInterceptorsPath } from '../../services/observability/tracing';
import { workflowsPath } from '../../services/paths';
import { repoRoot } from './processes';

/** Every file a workflow bundle is built from: the workflows, the pure lib code they import, the lockfile. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : [path];
  });
}

/**
 * A workflow bundle (by default the product's, for the test run), reused from node_modules/.cache
 * while no source it is built from has changed: the entry's folder, workflows/, the pure lib code
 * they import, the lockfile. Bundling costs ten seconds of CPU each time otherwise. `traced`: with
 * the tracing interceptors, as `workers/build-bundle.ts --traced` builds it.
 */
export async function cachedWorkflowBundle(entry = workflowsPath, { traced = false } = {}): Promise<string> {
  const folders = [dirname(entry), join(repoRoot, 'workflows'), join(repoRoot, 'lib')];
  const files = [...new Set(folders.flatMap(sources)), join(repoRoot, 'package-lock.json')].sort();
  const hash = createHash('sha256')
    .update(entry)
    .update(traced ? 'traced' : '');
  for (const file of files) hash.update(file).update(readFileSync(file));
  const dir = join(repoRoot, 'node_modules', '.cache', 'scaleflow-workflow-bundles');
  const path = join(dir, `${hash.digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) {
    const bundle = await bundleWorkflowCode({
      workflowsPath: entry,
      ...(traced ? { workflowInterceptorModules: [tracingWorkflowInterceptorsPath] } : {}),
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
    });
    mkdirSync(dir, { recursive: true });
    // Written whole under another name first: forks may bundle the same entry at once.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, bundle.code);
    renameSync(partial, path);
  }
  return path;
}
