import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes';

const dir = mkdtempSync(join(tmpdir(), 'sf-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = join(repoRoot, 'dist', 'scaleflow.js');
const env = {
  ...process.env,
  REPORTS_DIR: dir,
  SCALEFLOW_DB: join(dir, 'w.duckdb'),
  ARCHIVE_DIR: join(dir, 'archive'),
};

/** Runs the CLI with stdout and stderr kept apart, as a shell pipe or a CI log has them. */
function piped(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('progress of long commands', () => {
  it('a backtest on a terminal redraws its line with the time left; the JSON on stdout stays clean', async () => {
    // util-linux `script` gives the command a pseudo-terminal; stdout goes to a file, so only stderr is the terminal.
    const out = join(dir, 'bt.json');
    const command = `'${process.execPath}' '${cli}' backtest --days 8 --campaigns 4 --policy none --seed 5 > '${out}'`;
    const { stdout: terminal } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      cwd: repoRoot,
      env,
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as { policy: string; days: number };
    expect(result).toMatchObject({ policy: 'none', days: 8 });
    const redraws = terminal.split('\r\x1b[2K').filter(Boolean);
    // The 8 days and the 8-day tail in which the last changes get their checks: 16 days simulated.
    expect(
      redraws.some((l) => /^scaleflow backtest seed 5: \d+\/16 days simulated \(\d+%\), about .+ left/.test(l)),
    ).toBe(true);
    expect(redraws.at(-1)).toMatch(/^scaleflow backtest seed 5: 16 days simulated in .+, 1 run\r?\n/);
  });

  it('an ingest into a pipe prints one summary line on stderr and its JSON line on stdout', async () => {
    const csv = join(dir, 'sample.csv');
    const sample = await piped([
      'sample-report',
      '--start',
      '2025-10-01',
      '--end',
      '2025-10-07',
      '--pulled-on',
      '2025-10-08',
      '--out',
      csv,
    ]);
    expect(sample.code, sample.stderr).toBe(0);
    const ingest = await piped(['ingest', csv, '--as-of', '2025-10-08']);
    expect(ingest.code, ingest.stderr).toBe(0);
    const line = JSON.parse(ingest.stdout) as { accepted: number; quarantined: number };
    expect(ingest.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^scaleflow ingest sample\\.csv: \\d+ steps in \\d+ seconds?, \\d+ lines read, ${line.accepted} accepted, ${line.quarantined} quarantined$`,
        ),
      ),
    ]);
    expect(ingest.stderr).not.toContain('\x1b');
  });
});
