import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { splitArgv } from '../../lib/backtest/argv';
import { MarketProtocolError } from '../../lib/backtest/protocol';
import { parseConfig } from '../../lib/config';
import { thresholdsConfigSchema } from '../../lib/decisions';
import { toCents } from '../../lib/money';
import { runBacktest, type BacktestResult } from '../../services/backtest/run';
import { spawnCli } from '../support/processes';

const deps = { config: parseConfig({}), thresholds: thresholdsConfigSchema.parse(undefined) };
const broken = (how: string, on: string) => `node test/markets/broken-market.mjs --break ${how} --on ${on}`;
/** What a run decided, day by day: the parts of its figures that must not depend on the transport. */
const decisions = (r: BacktestResult) => ({
  margin: r.margin,
  margin_counted: r.margin_counted,
  daily: r.daily,
  budget_changes: r.budget_changes,
  accuracy: r.accuracy,
  accuracy_by_direction: r.accuracy_by_direction,
  accuracy_reconciled: r.accuracy_reconciled,
  held_by_optimizer: r.held_by_optimizer,
  refused_by_guardrails: r.refused_by_guardrails,
});

/** Talks to a market command directly, as a test's own client: each request line gets one reply line. */
async function converse(command: string[], requests: object[]): Promise<Record<string, unknown>[]> {
  const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies: Record<string, unknown>[] = [];
  const lines = createInterface({ input: child.stdout });
  child.stdin.end(requests.map((r) => `${JSON.stringify(r)}\n`).join(''));
  for await (const line of lines) replies.push(JSON.parse(line) as Record<string, unknown>);
  return replies;
}

describe('the market command line', () => {
  it('is split like a shell would split it, with nothing interpreted', () => {
    expect(splitArgv(`node "my markets/hill.mjs" --name 'a b' x\\ y $HOME;rm`)).toEqual([
      'node',
      'my markets/hill.mjs',
      '--name',
      'a b',
      'x y',
      '$HOME;rm',
    ]);
    expect(() => splitArgv('node "open')).toThrow(/unbalanced/);
  });
});

describe('the built-in market through the protocol', () => {
  it('as a child process (scaleflow market) and in-process gives the same margins and decisions', async () => {
    const options = { policy: 'scaleflow' as const, seed: 3, campaigns: 10, days: 10 };
    const inProcess = await runBacktest(options, deps);
    const child = await runBacktest({ ...options, marketCmd: 'node dist/scaleflow.js market --seed 3' }, deps);
    expect(inProcess.market).toBe('built-in');
    expect(child.market).toBe('node dist/scaleflow.js market --seed 3');
    expect(decisions(child)).toEqual(decisions(inProcess));
    expect(inProcess.budget_changes.total).toBeGreaterThan(0);
    // Every day of the period is reconciled (4 days after) before the 8-day tail ends, so what
    // scaleflow counted from its pulls is the market's own final margin, to the cent.
    expect(inProcess.margin_counted).toBe(inProcess.margin);
  }, 600_000);
});

describe('a market scaleflow did not write (test/markets/hill-market.mjs)', () => {
  const command = 'node test/markets/hill-market.mjs';

  it("runs a backtest through it and reports the market's own margin: none's is the market's at the buyers' budgets", async () => {
    const days = 8;
    const none = await runBacktest({ policy: 'none', seed: 5, campaigns: 6, days, marketCmd: command }, deps);
    // The market itself, asked by this test with no budget changed (an empty budgets list leaves each
    // campaign at its buyer's budget), over the period and its 8-day tail:
    const requests = [
      { type: 'init', seed: 5, days, campaigns: 6 },
      ...Array.from({ length: days + 8 }, (_, d) => ({
        type: 'day',
        date: new Date(Date.parse('2025-09-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10),
        budgets: [],
      })),
      { type: 'end' },
    ];
    const replies = await converse(['node', 'test/markets/hill-market.mjs'], requests);
    expect(none.market).toBe(command);
    expect(none.margin).toBe(replies.at(-1)!.margin);
    // Its restatements settle after 5 days, inside the tail: scaleflow's count agrees with the market's.
    expect(none.margin_counted).toBe(none.margin);
    expect(none.start).toBe('2025-09-01');
  }, 300_000);

  it('scaleflow decides on it and its truth margin is reported beside its own count', async () => {
    const run = await runBacktest({ policy: 'scaleflow', seed: 5, campaigns: 8, days: 10, marketCmd: command }, deps);
    expect(run.market).toBe(command);
    expect(toCents(run.margin)).not.toBe(0);
    expect(run.margin_counted).toBe(run.margin);
    expect(run.daily).toHaveLength(10);
  }, 300_000);
});

describe('a market that breaks the protocol', () => {
  const failing = (marketCmd: string, marketTimeoutMs?: number) =>
    runBacktest({ policy: 'none', seed: 1, campaigns: 1, days: 8, marketCmd }, { ...deps, marketTimeoutMs });

  it('bad JSON stops the backtest naming the request', async () => {
    await expect(failing(broken('json', 'day'))).rejects.toThrow(
      new MarketProtocolError(`market: the reply to "day" 2025-06-02 is not JSON`).message,
    );
  }, 120_000);

  it('a missing field stops it naming the request and the field', async () => {
    await expect(failing(broken('field', 'day'))).rejects.toThrow(
      /^market: the reply to "day" 2025-06-02: field report_csv: /,
    );
    await expect(failing(broken('field', 'init'))).rejects.toThrow(/^market: the reply to "init": field campaigns: /);
  }, 120_000);

  it('no answer within the timeout stops it naming the request', async () => {
    const started = Date.now();
    await expect(failing(broken('silent', 'init'), 1_000)).rejects.toThrow(
      'market: no reply to "init" within 1 s (node test/markets/broken-market.mjs --break silent --on init)',
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 120_000);

  it('a market that exits stops it naming the request', async () => {
    await expect(failing(broken('exit', 'day'))).rejects.toThrow(
      'market: no reply to "day" 2025-06-02: the market exited (code 3)',
    );
  }, 120_000);

  it('on the command line: exit 1, the message on stderr, its own stderr passed through, no stack trace', async () => {
    const cli = spawnCli(
      ['backtest', '--policy', 'none', '--days', '8', '--market-cmd', broken('field', 'day'), '--market-timeout', '5'],
      {},
    );
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('scaleflow backtest: market: the reply to "day" 2025-06-02: field report_csv:');
    expect(cli.output()).not.toContain('    at ');
    const exit = spawnCli(['backtest', '--policy', 'none', '--days', '8', '--market-cmd', broken('exit', 'init')], {});
    expect(await exit.exited).toBe(1);
    expect(exit.output()).toContain('broken-market: giving up');
    expect(exit.output()).toContain('market: no reply to "init": the market exited (code 3)');
    const flag = spawnCli(['backtest', '--market-timeout', 'soon'], {});
    expect(await flag.exited).toBe(2);
    expect(flag.output()).toContain('--market-timeout');
  }, 120_000);
});
