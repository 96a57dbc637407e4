// One backtest run, its result as JSON on stdout: test/bench/backtest.ts runs these as child
// processes, two at a time, one per core.
import { parseConfig } from '../../lib/config';
import { backtestOptionsSchema } from '../../lib/backtest/options';
import { runBacktest } from '../../services/backtest/run';
import { loadThresholds } from '../../services/decisions/thresholds-file';

const [optionsJson, thresholdsFile] = process.argv.slice(2);
const options = backtestOptionsSchema.parse(JSON.parse(optionsJson ?? '{}'));
const result = await runBacktest(options, {
  config: parseConfig({}),
  thresholds: loadThresholds(thresholdsFile || undefined),
  // BENCH_KEEP=<dir>: the run's warehouse stays there, to study its changes afterwards.
  ...(process.env.BENCH_KEEP && { workDir: process.env.BENCH_KEEP, keep: true }),
});
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ ...result, cpu_ms: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
