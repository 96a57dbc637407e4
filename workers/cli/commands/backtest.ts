import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadThresholds } from '../../../activities/analytics/thresholds-file';
import type { BacktestResult } from '../../../activities/backtest/run';
import { backtestOptionsSchema, POLICIES, policySchema } from '../../../lib/backtest/options';
import { loadConfigOrExit } from '../../config-env';
import { flagsToObject, UsageError } from '../usage';

/**
 * `scaleflow backtest --days 60 --campaigns 200 --seed 7 --policy scaleflow|streak|none|all`:
 * runs the policy (or all three on the same market) through the real ingest, decision and
 * optimiser code on a temporary warehouse, prints the figures as JSON and writes the report page.
 */
export async function backtest(args: string[]): Promise<void> {
  const { policy = 'all', out, thresholds: thresholdsFile, ...flags } = flagsToObject(args);
  const policies = policy === 'all' ? POLICIES : [policySchema.safeParse(policy).data ?? badPolicy(policy)];
  const parsed = backtestOptionsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'arg').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(issue.code === 'unrecognized_keys' ? `unknown option --${issue.keys[0]}` : `--${field}: ${issue.message}`);
  }
  const config = loadConfigOrExit();
  const thresholds = loadThresholds(thresholdsFile ?? config.THRESHOLDS_FILE);
  // Loaded once the arguments are known good, so a typo answers at once.
  const [{ runBacktest }, { renderBacktestPage }] = await Promise.all([import('../../../activities/backtest/run'), import('../../../activities/backtest/page')]);
  const results: BacktestResult[] = [];
  for (const p of policies) results.push(await runBacktest({ ...parsed.data, policy: p }, { config, thresholds }));

  const page = resolve(out ?? join(config.REPORTS_DIR, 'backtest', `seed-${parsed.data.seed}.html`));
  mkdirSync(dirname(page), { recursive: true });
  writeFileSync(page, renderBacktestPage(results));
  console.error(`scaleflow: backtest page written to ${page}`);
  console.log(JSON.stringify(results.length === 1 ? results[0] : { results }, null, 2));
}

function badPolicy(value: string): never {
  throw new UsageError(`--policy: "${value}" is not one of ${[...POLICIES, 'all'].join(', ')}`);
}
