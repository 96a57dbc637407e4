import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes';
import { testConfig, workerProcessEnv } from '../support/temporal';

const dir = mkdtempSync(join(tmpdir(), 'sf-jsonlogs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dist = (file: string) => join(repoRoot, 'dist', file);
const base = { ...process.env, REPORTS_DIR: dir, SCALEFLOW_DB: join(dir, 'w.duckdb'), LOG_FORMAT: '' };

type Line = Record<string, unknown>;

/** Every line of a stream, each parsed as JSON: JSON.parse throws on any that is not. */
function jsonLines(output: string): Line[] {
  return output
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(l)}`);
      }
    });
}

/** A process with stdout and stderr kept apart, as a shell pipe or a log shipper has them. */
function piped(file: string, args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [dist(file), ...args], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** The backtest with stderr on a pseudo-terminal (util-linux `script`) and stdout into a file. */
async function backtestOnTerminal(flags: string[], out: string) {
  const command = `'${process.execPath}' '${dist('scaleflow.js')}' ${flags.join(' ')} backtest --days 8 --campaigns 4 --policy none --seed 5 --out '${join(dir, 'bt.html')}' > '${out}'`;
  const { stdout: terminal } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: base,
  });
  return { terminal, stdout: readFileSync(out, 'utf8') };
}

describe('the CLI with --log-format json', () => {
  it('writes only JSON lines on stderr, even on a terminal (the progress as one summary), and the same stdout', async () => {
    const text = await backtestOnTerminal([], join(dir, 'text.json'));
    const json = await backtestOnTerminal(['--log-format', 'json'], join(dir, 'json.json'));
    // The same answer, but for how long it took.
    const answer = (out: string) => ({ ...(JSON.parse(out) as object), runtime_ms: 0 });
    expect(answer(json.stdout)).toEqual(answer(text.stdout));
    expect(text.terminal).toContain('\x1b[2K');
    expect(json.terminal).not.toContain('\x1b[2K');
    const lines = jsonLines(json.terminal);
    // The 8 days and the 8-day tail in which the last changes get their checks: 16 days simulated.
    const progress = lines.filter((l) => l.progress !== undefined);
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({
      level: 'info',
      progress: { label: 'scaleflow backtest seed 5', unit: 'days simulated', done: 16, total: 16, note: '1 run' },
    });
    expect(lines.find((l) => l.page !== undefined)).toMatchObject({
      level: 'info',
      msg: `scaleflow: backtest page written to ${join(dir, 'bt.html')}`,
      page: join(dir, 'bt.html'),
    });
    for (const l of lines) expect(typeof l.time).toBe('string');
  });

  it('says a bad flag as a JSON error line (exit 2) when LOG_FORMAT=json asks, with nothing on stdout', async () => {
    const run = await piped('scaleflow.js', ['backtest', '--dayz', '8'], { LOG_FORMAT: 'json' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [line, ...rest] = jsonLines(run.stderr);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'error', usage: '--dayz: unknown option; did you mean --days?' });
  });

  it('refuses a format it does not know, naming the flag (exit 2) or the variable (exit 78)', async () => {
    const flag = await piped('scaleflow.js', ['--log-format', 'yaml', 'backtest']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--log-format: text or json');
    const variable = await piped('scaleflow.js', ['backtest'], { LOG_FORMAT: 'yaml' });
    expect(variable.code).toBe(78);
    expect(variable.stderr).toContain('LOG_FORMAT="yaml": text or json');
  });
});

describe('a worker that refuses to start, with LOG_FORMAT=json', () => {
  const env = (extra: Record<string, string>) => ({
    ...workerProcessEnv(testConfig(), { LOG_LEVEL: 'INFO' }),
    LOG_FORMAT: 'json',
    ...extra,
  });

  it('says a bad variable as one JSON line naming it, exit 78', async () => {
    const run = await piped('worker.js', [], env({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.pem') }));
    expect(run.code).toBe(78);
    const lines = jsonLines(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('error');
    expect(String(lines[0]!.msg)).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('says a missing AUDIT_SECRET as a JSON line too', async () => {
    const run = await piped('worker.js', ['--role', 'warehouse'], env({ AUDIT_SECRET: '' }));
    expect(run.code).toBe(78);
    const lines = jsonLines(run.stderr);
    expect(lines.find((l) => l.level === 'error')?.msg).toMatch(/^scaleflow: AUDIT_SECRET is not set/);
  });
});
