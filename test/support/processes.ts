import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The CLI and the worker as real processes, from dist/ (what `npm run build` writes, built from
 * this checkout by the run's global setup): the code tsx would compile file by file at every
 * start, compiled once per run. Signals reach node directly.
 */
function spawnBuilt(file: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', file), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** `scaleflow <args>` as its own process. */
export function spawnCli(args: string[], env: Record<string, string>): Spawned {
  return spawnBuilt('scaleflow.js', args, env);
}

/** The worker process (workers/worker-main.ts). */
export function spawnWorker(env: Record<string, string>): Spawned {
  return spawnBuilt('worker.js', [], env);
}

/** Polls check until it returns a truthy value, failing after timeoutMs. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
