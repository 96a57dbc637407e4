import { createInterface } from 'node:readline';
import { marketRequestSchema } from '../../../lib/backtest/protocol';
import { isIsoDate } from '../../../lib/dates';
import { BuiltinMarket } from '../../../lib/simulator';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';
import { diag } from '../../diagnostics';

export const marketSpec = defineCommand({
  name: 'market',
  options: {
    seed: { type: 'string', value: 'N', help: "the market's seed (default: the seed init sends)" },
    'warmup-days': { type: 'string', value: 'N', help: 'history simulated before the start, 7..60 (default 14)' },
    start: { type: 'string', value: 'DATE', help: 'day 0 of the period (default 2025-06-02)' },
  },
  about: `The built-in simulated market as a process speaking the market protocol (docs/backtest.md): one
JSON request a line on stdin, one reply a line on stdout. scaleflow backtest --market-cmd runs it.`,
});

function whole(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${flag}: a whole number from ${min} to ${max}`);
  return n;
}

/** Answers each request line with the built-in market's reply; a request it cannot read ends it (exit 2). */
export async function market(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(marketSpec, args);
  const seed = whole('seed', values.seed, 0, 1_000_000);
  const warmupDays = whole('warmup-days', values['warmup-days'], 7, 60);
  if (values.start !== undefined && !isIsoDate(values.start))
    throw new UsageError(`--start: a date as YYYY-MM-DD, not "${values.start}"`);
  const builtin = new BuiltinMarket({ warmupDays, start: values.start });
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let request;
    try {
      request = marketRequestSchema.parse(JSON.parse(line));
      if (request.type === 'init' && seed !== undefined) request = { ...request, seed };
      process.stdout.write(`${JSON.stringify(builtin.handle(request))}\n`);
    } catch (err) {
      diag.error(`scaleflow market: cannot answer ${line.slice(0, 120)}: ${(err as Error).message}`);
      return 2;
    }
    if (request.type === 'end') break;
  }
  return 0;
}
