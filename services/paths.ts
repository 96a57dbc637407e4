import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's folders, resolved from this file so any working directory works. */
export const rootDir = fileURLToPath(new URL('..', import.meta.url));
export const dataDir = fileURLToPath(new URL('../data', import.meta.url));
export const reportsDir = fileURLToPath(new URL('../reports', import.meta.url));
/** The workflows' entry point, which Temporal's bundler starts from. */
export const workflowsPath = join(rootDir, 'workflows', 'index.ts');
