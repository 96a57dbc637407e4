import { vi } from 'vitest';
import { runCli } from '../../workers/cli/run-cli';

/** What a command line printed and answered. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's own dispatch (runCli, what the binary runs) in this process, with the console
 * captured and `env` stubbed for the call: a command checked without a node start each. Tests
 * that prove the process boundary (exit codes, streams) spawn the binary instead.
 */
export async function runCliInProcess(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await runCli(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    vi.unstubAllEnvs();
  }
}
