import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { commandNames } from '../../workers/cli/dispatch';
import { runCliInProcess, type CliRun } from '../support/cli';
import { repoRoot } from '../support/processes';
import { EncryptionCodec } from '../../lib/codec/encryption';
import { TEST_PAYLOAD_KEYS, testClient, testConfig, testPayloadKeys } from '../support/temporal';

type Ran = CliRun;

/**
 * The compiled CLI with stdout and stderr apart: help goes to stdout, a usage error to stderr. A
 * command that ignored its arguments would start its work (`dev` its servers): the timeout stops it.
 */
async function scaleflow(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'dist', 'scaleflow.js'), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        timeout: 45_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The same dispatch the binary runs, in this process: every command's help and flag checking is
// proven through it without a node start each (about 40 of them). The process boundary itself
// (exit codes, stdout vs stderr) is proven by the spawned checks below.
const inProcess = (argv: string[]) => runCliInProcess(argv);

describe('every command in the dispatch table', () => {
  it('has a few commands to check (the table is not empty)', () => {
    expect(commandNames).toEqual(
      expect.arrayContaining(['dev', 'demo', 'run', 'sql', 'rules', 'dashboard', 'alerts', 'optimize', 'backtest']),
    );
  });

  for (const name of commandNames) {
    it(`${name} --help prints its usage and exits 0`, async () => {
      const ran = await inProcess([name, '--help']);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(new RegExp(`^usage: scaleflow ${name}\\b`, 'm'));
      expect(ran.stdout).toContain('--help');
      expect(ran.stderr).toBe('');
    });

    it(`${name} --no-such-flag exits 2 naming the flag`, async () => {
      const ran = await inProcess([name, '--no-such-flag']);
      expect(ran.code, ran.stdout + ran.stderr).toBe(2);
      expect(ran.stderr).toContain('--no-such-flag: unknown option');
    });
  }

  it('the binary answers the same: --help on stdout with exit 0, an unknown flag on stderr with exit 2 and no stack trace', async () => {
    for (const name of ['dev', 'sql', 'backtest']) {
      const help = await scaleflow([name, '--help']);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: scaleflow ${name}\\b`, 'm'));
      const bad = await scaleflow([name, '--no-such-flag']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--no-such-flag: unknown option');
      expect(bad.stderr).not.toContain('    at ');
    }
  });
});

describe('the argument parser', () => {
  it('dashboard --date-rnage 30d stops with exit 2 and suggests --date-range (it used to answer for 7 days)', async () => {
    const ran = await scaleflow(['dashboard', '--date-rnage', '30d']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--date-rnage: unknown option; did you mean --date-range?');
    expect(ran.stdout).toBe('');
  });

  it('a string option without its value, a value on a switch and a stray argument each exit 2 naming it', async () => {
    const missing = await inProcess(['report', '--as-of']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--as-of: needs a value (--as-of DATE)');
    // --db would swallow --as-of as its file name: refused rather than guessed.
    const swallowed = await inProcess(['audit', '--db', '--since', '2025-10-01']);
    expect(swallowed.code).toBe(2);
    expect(swallowed.stderr).toContain('--db: needs a value (--db FILE), not "--since"');
    const switched = await inProcess(['report', '--send=yes']);
    expect(switched.code).toBe(2);
    expect(switched.stderr).toContain('--send: takes no value');
    const stray = await inProcess(['audit', 'everything']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "everything"');
  });

  it("scaleflow help <command> prints that command's help; help alone lists every command", async () => {
    const one = await inProcess(['help', 'report']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^usage: scaleflow report \[--as-of DATE\]/m);
    expect(one.stdout).toContain('--send');
    const all = await inProcess(['help']);
    expect(all.code).toBe(0);
    for (const name of commandNames) expect(all.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const nope = await inProcess(['help', 'reprot']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain('unknown command "reprot"; did you mean report?');
  });

  it('alerts declares --held-back as a switch', async () => {
    const help = await inProcess(['alerts', '--help']);
    expect(help.stdout).toMatch(/--held-back\s+the streaks a decision held back, instead of the alerts/);
    const onDashboard = await inProcess(['dashboard', '--held-back']);
    expect(onDashboard.code).toBe(2);
    expect(onDashboard.stderr).toContain('--held-back: unknown option');
  });

  it('rules sub-commands are strict too', async () => {
    const flagOnList = await inProcess(['rules', 'list', '--as-of', '2025-10-13']);
    expect(flagOnList.code).toBe(2);
    expect(flagOnList.stderr).toContain('--as-of: only rules test takes it');
    const extra = await inProcess(['rules', 'validate', 'everything']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "everything"');
  });
});

describe('scaleflow run <workflow> --input value', () => {
  it("takes the workflow's inputs as kebab-case flags, strict against its schema", async () => {
    const typo = await inProcess(['run', 'healthcheck', '--hold-mss', '5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--hold-mss: unknown option; did you mean --hold-ms?');
    const bad = await inProcess(['run', 'healthcheck', '--hold-ms', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--hold-ms: ');
    const otherWorkflows = await inProcess(['run', 'dailyPipeline', '--note', 'hi']);
    expect(otherWorkflows.code).toBe(2);
    expect(otherWorkflows.stderr).toContain('--note: unknown option');
    const help = await inProcess(['run', 'healthcheck', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--hold-ms VALUE/);
  });

  it('starts the workflow with the inputs as the schema reads them', async () => {
    // No worker on this task queue: the start is all this checks; the run is terminated after.
    const config = testConfig();
    const ran = await scaleflow(['run', 'healthcheck', '--note', 'from the cli', '--hold-ms', '5'], {
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      SCALEFLOW_DB: join(inject('scratchDir'), 'cli-run.duckdb'),
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    });
    expect(ran.code, ran.stderr).toBe(0);
    const started = JSON.parse(ran.stdout) as { workflowId: string; existing: boolean };
    expect(started.existing).toBe(false);
    const client = await testClient(config);
    try {
      const handle = client.workflow.getHandle(started.workflowId);
      const history = await handle.fetchHistory();
      const sealed = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      // The CLI encrypts what it sends, as the worker does (PAYLOAD_KEYS).
      expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe('binary/encrypted');
      const [input] = await new EncryptionCodec(testPayloadKeys()).decode([sealed]);
      // holdMs is coerced to a number by the schema; note is taken as written.
      expect(JSON.parse(Buffer.from(input!.data!).toString())).toEqual({ note: 'from the cli', holdMs: 5 });
      await handle.terminate('test done');
    } finally {
      await client.connection.close();
    }
  });
});
