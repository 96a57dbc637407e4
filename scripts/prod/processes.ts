// The scaleflow processes the check runs: started from the runtime layout, stopped as compose
// stops them (SIGTERM, then SIGKILL after the grace period), or killed outright.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Role } from './roles';

export interface Running {
  role: Role;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** The Temporal SDK's default worker identity is `<pid>@<host>`: how history names this process. */
  identifies(workerIdentity: string | undefined): boolean;
}

export function startRole(role: Role, cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, role.args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    role,
    child,
    exited,
    output: () => output,
    identifies: (identity) => identity?.startsWith(`${child.pid}@`) ?? false,
  };
}

const gone = (r: Running) => r.child.exitCode !== null || r.child.signalCode !== null;

export async function stopRole(running: Running): Promise<void> {
  if (gone(running)) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 40_000);
  await running.exited;
  clearTimeout(timer);
}

/** No shutdown at all: what an OOM kill or a lost machine does to the process. */
export async function killRole(running: Running): Promise<void> {
  if (gone(running)) return;
  running.child.kill('SIGKILL');
  await running.exited;
}

export async function waitHealthy(url: string, running: Running, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone(running))
      throw new Error(
        `${running.role.name} exited (${running.child.exitCode ?? running.child.signalCode}):\n${running.output()}`,
      );
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${running.role.name}: ${url} not healthy within ${timeoutMs} ms:\n${running.output()}`);
}

/** Polls `probe` until it returns something other than undefined/false; `what` names the wait in the error. */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 120_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
