import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadThresholds } from '../../../services/decisions/thresholds-file';
import type { BacktestResult } from '../../../services/backtest/run';
import {
  backtestLevelSchema,
  backtestOptionsSchema,
  POLICIES,
  policySchema,
  type BacktestLevel,
} from '../../../lib/backtest/options';
import { MarketProtocolError } from '../../../lib/backtest/protocol';
import { loadConfigOrExit } from '../../config-env';
import { defineCommand, parseCommandArgs } from '../args';
import { startProgress } from '../progress';
import { UsageError } from '../usage';
import { diag } from '../../diagnostics';

/** The flags are backtestOptionsSchema's fields in kebab-case, plus what is not a simulation option. */
export const backtestSpec = defineCommand({
  name: 'backtest',
  options: {
    days: { type: 'string', value: 'N', help: 'days simulated, 8..366 (default 60)' },
    campaigns: { type: 'string', value: 'N', help: 'campaigns in the market (default 200)' },
    seed: { type: 'string', value: 'N', help: "the market's seed: the same seed, the same market (default 7)" },
    policy: { type: 'string', value: 'POLICY', help: 'scaleflow, streak, none or all (default all)' },
    thresholds: { type: 'string', value: 'FILE', help: 'the decision thresholds (default THRESHOLDS_FILE)' },
    out: { type: 'string', value: 'FILE.html', help: 'the page (default REPORTS_DIR/backtest/seed-<seed>.html)' },
    start: { type: 'string', value: 'DATE', help: 'day 0 of the period (default 2025-06-02)' },
    'warmup-days': { type: 'string', value: 'N', help: 'history before day 0, 7..60 (default 14)' },
    sizing: { type: 'string', value: 'alert|optimizer', help: 'how a scale-up is sized (default optimizer)' },
    'min-step-pct': {
      type: 'string',
      value: 'PCT',
      help: 'optimiser sizing: the smallest raise worth making (default 10)',
    },
    'prior-week-roas': {
      type: 'string',
      value: 'PCT',
      help: 'a scale-up also needs this roas over the week before (default 0: no gate)',
    },
    'wait-for-outcome': {
      type: 'string',
      value: 'true|false',
      help: 'no new scale-up while the last awaits its outcome check (default true)',
    },
    'trim-below-roas': {
      type: 'string',
      value: 'PCT',
      help: 'trim held campaigns under this 7-day roas (default 90; 0 never)',
    },
    'trim-pct': { type: 'string', value: 'PCT', help: 'the largest trim (default 30)' },
    'revert-failed-scale-ups': {
      type: 'string',
      value: 'true|false',
      help: 'take back a scale-up whose outcome check failed (default true)',
    },
    'adset-markets': {
      type: 'string',
      value: 'true|false',
      help: 'every campaign holds its budget in 2-5 ad sets (default false)',
    },
    'strategis-grain': {
      type: 'string',
      value: 'adset|campaign',
      help: 'ad-set markets: strateg.is rows per ad set, or campaign rows only (default adset)',
    },
    level: {
      type: 'string',
      value: 'campaign|auto|all',
      help: 'where scaleflow decides; all: both on the same market, side by side (default all)',
    },
    'market-cmd': {
      type: 'string',
      value: '"COMMAND ARGS"',
      help: 'run the market as this command speaking the market protocol (split like a shell, run without one)',
    },
    'market-timeout': {
      type: 'string',
      value: 'SECONDS',
      help: 'how long the market has to answer each request (default 60)',
    },
  },
  about: `Runs the policy (or all three on the same market) through the real ingest, decision and optimiser
code on a temporary warehouse, prints the figures as JSON and writes the report page.`,
});

export async function backtest(args: string[]): Promise<number> {
  const {
    policy = 'all',
    level = 'all',
    out,
    thresholds: thresholdsFile,
    'market-timeout': marketTimeout,
    ...options
  } = parseCommandArgs(backtestSpec, args).values;
  const timeoutS = marketTimeout === undefined ? 60 : Number(marketTimeout);
  if (!(timeoutS > 0 && timeoutS <= 3600)) throw new UsageError('--market-timeout: seconds, above 0 and at most 3600');
  const flags = Object.fromEntries(
    Object.entries(options).flatMap(([k, v]) =>
      v === undefined ? [] : [[k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), v]],
    ),
  );
  const policies = policy === 'all' ? POLICIES : [policySchema.safeParse(policy).data ?? badPolicy(policy)];
  const levels: BacktestLevel[] =
    level === 'all' ? ['campaign', 'auto'] : [backtestLevelSchema.safeParse(level).data ?? badLevel(level)];
  const parsed = backtestOptionsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'arg').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`--${field}: ${issue.message}`);
  }
  const config = loadConfigOrExit();
  const thresholds = loadThresholds(thresholdsFile ?? config.THRESHOLDS_FILE);
  // Loaded once the arguments are known good, so a typo answers at once.
  const [{ runBacktest }, { renderBacktestPage, levelsSideBySide }] = await Promise.all([
    import('../../../services/backtest/run'),
    import('../../../services/backtest/page'),
  ]);
  if (parsed.data.marketCmd && parsed.data.adsetMarkets)
    throw new UsageError('--adset-markets: the built-in market only (the market protocol has no ad sets)');
  const results: BacktestResult[] = [];
  // Only scaleflow decides by level, and only ad sets make the levels differ: anything else runs once.
  const runs = policies.flatMap((p) =>
    (p === 'scaleflow' && parsed.data.adsetMarkets ? levels : [levels.at(-1)!]).map((l) => ({ policy: p, level: l })),
  );
  const progress = startProgress({ label: `scaleflow backtest seed ${parsed.data.seed}`, unit: 'days simulated' });
  try {
    for (const [i, run] of runs.entries()) {
      progress.note(runs.length > 1 ? `${run.policy} (${i + 1} of ${runs.length} runs)` : run.policy);
      results.push(
        await runBacktest(
          { ...parsed.data, ...run },
          {
            config,
            thresholds,
            marketTimeoutMs: timeoutS * 1000,
            onDay: (day, days) => progress.update(i * days + day + 1, runs.length * days),
          },
        ),
      );
    }
    progress.finish(`${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`);
  } catch (err) {
    progress.finish('stopped');
    // A market that broke the protocol is the market's fault, not a crash: say which request, and stop.
    if (!(err instanceof MarketProtocolError)) throw err;
    diag.error(`scaleflow backtest: ${err.message}`);
    return 1;
  }

  const page = resolve(out ?? join(config.REPORTS_DIR, 'backtest', `seed-${parsed.data.seed}.html`));
  mkdirSync(dirname(page), { recursive: true });
  writeFileSync(page, renderBacktestPage(results));
  diag.info(`scaleflow: backtest page written to ${page}`, { page });
  const side = levelsSideBySide(results);
  console.log(JSON.stringify(results.length === 1 ? results[0] : { results, ...(side && { levels: side }) }, null, 2));
  return 0;
}

function badLevel(value: string): never {
  throw new UsageError(`--level: "${value}" is not one of campaign, auto, all`);
}

function badPolicy(value: string): never {
  throw new UsageError(`--policy: "${value}" is not one of ${[...POLICIES, 'all'].join(', ')}`);
}
