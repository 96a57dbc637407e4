// npm run bench:backtest: every policy on 200 campaigns x 60 days over seeds 1-5, on the built-in
// market and on the example external market (test/markets/hill-market.mjs, saturating Hill curves
// with carry-over, spoken to over the JSON Lines protocol), with METRICS.md's default thresholds and,
// on the built-in market, the named alternative data/thresholds/scale-180.json. Each run is its own
// process (test/bench/backtest-one.ts), BENCH_JOBS (default 2, one per core) at a time. Figures
// into the "Backtest" section of BENCHMARKS.md, with issue 20's goals checked per market.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { BacktestResult } from '../../services/backtest/run';
import { upliftPct } from '../../lib/backtest/results';
import { centsToString, toCents } from '../../lib/money';
import { machine, median, writeSection } from './support';
import { accuracyOf, goalsLine, markdownTable, pct, type Pooled } from './backtest-tables';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 200);
const DAYS = Number(process.env.BENCH_DAYS ?? 60);
const JOBS = Number(process.env.BENCH_JOBS ?? 2);
const ALTERNATIVE = 'data/thresholds/scale-180.json';
const HILL = 'node test/markets/hill-market.mjs';

const markets = [
  { name: 'built-in', cmd: undefined },
  { name: 'hill (external)', cmd: HILL },
];
const variants = [
  { name: 'none', policy: 'none', thresholds: '', markets: ['built-in', 'hill (external)'] },
  { name: 'streak', policy: 'streak', thresholds: '', markets: ['built-in', 'hill (external)'] },
  {
    name: 'scaleflow (METRICS.md defaults)',
    policy: 'scaleflow',
    thresholds: '',
    markets: ['built-in', 'hill (external)'],
  },
  { name: 'scaleflow (scale-180.json)', policy: 'scaleflow', thresholds: ALTERNATIVE, markets: ['built-in'] },
] as const;
const DEFAULTS = 'scaleflow (METRICS.md defaults)';

interface Job {
  market: (typeof markets)[number];
  variant: (typeof variants)[number];
  seed: number;
}
type Run = BacktestResult & { cpu_ms: number };
const jobs: Job[] = markets.flatMap((market) =>
  variants
    .filter((variant) => (variant.markets as readonly string[]).includes(market.name))
    .flatMap((variant) => SEEDS.map((seed) => ({ market, variant, seed }))),
);

const exec = promisify(execFile);
const results = new Map<string, Run>();
const key = (market: string, variant: string, seed: number) => `${market}|${variant}|${seed}`;
const started = performance.now();
const queue = [...jobs];
await Promise.all(
  Array.from({ length: JOBS }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const options = {
        policy: job.variant.policy,
        seed: job.seed,
        campaigns: CAMPAIGNS,
        days: DAYS,
        ...(job.market.cmd && { marketCmd: job.market.cmd }),
      };
      const { stdout } = await exec(
        process.execPath,
        ['--import', 'tsx', 'test/bench/backtest-one.ts', JSON.stringify(options), job.variant.thresholds],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const run = JSON.parse(stdout) as Run;
      results.set(key(job.market.name, job.variant.name, job.seed), run);
      const all = run.accuracy.find((a) => a.rule === 'all');
      console.error(
        `${job.market.name} seed ${job.seed} ${job.variant.name}: margin ${run.margin}, accuracy ${all?.right}/${all?.checked}, ${run.runtime_ms} ms`,
      );
    }
  }),
);
const wallMin = (performance.now() - started) / 60_000;

const runsOf = (market: string, variant: string) => SEEDS.map((s) => results.get(key(market, variant, s))!);
const dollars = (cents: number) => `$${Number(centsToString(cents)).toLocaleString('en-US')}`;
const margin = (rs: Run[]) => rs.reduce((s, r) => s + toCents(r.margin), 0);

const marketSections = markets.map((market) => {
  const here = variants.filter((v) => (v.markets as readonly string[]).includes(market.name));
  const none = margin(runsOf(market.name, 'none'));
  const streak = margin(runsOf(market.name, 'streak'));
  const rows = here.map((v) => {
    const rs = runsOf(market.name, v.name);
    const drawdown = Math.max(...rs.map((r) => toCents(r.worst_drawdown)));
    const changes = rs.reduce((s, r) => s + r.budget_changes.total, 0);
    return [
      v.name,
      dollars(margin(rs)),
      pct(upliftPct(margin(rs), none)),
      pct(upliftPct(margin(rs), streak)),
      accuracyOf(rs, 'all').text,
      accuracyOf(rs, 'raise', 'accuracy_by_direction').text,
      accuracyOf(rs, 'cut', 'accuracy_by_direction').text,
      accuracyOf(rs, 'all', 'accuracy_reconciled').text,
      String(changes),
      `$${Math.round(drawdown / 100).toLocaleString('en-US')}`,
    ];
  });
  const perSeed = SEEDS.map((seed) => {
    const of = (v: string) => results.get(key(market.name, v, seed))!;
    const sf = of(DEFAULTS);
    const rate = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
    const agreement = sf.agreement
      ? `${rate(sf.agreement.was_right.rate)} / ${rate(sf.agreement.right_vs_control.rate)}`
      : 'n/a (no counterfactual)';
    return [
      String(seed),
      ...here.map((v) => dollars(toCents(of(v.name).margin))),
      pct(upliftPct(toCents(sf.margin), toCents(of('none').margin))),
      pct(upliftPct(toCents(sf.margin), toCents(of('streak').margin))),
      accuracyOf([sf], 'all').text,
      accuracyOf([sf], 'raise', 'accuracy_by_direction').text,
      agreement,
    ];
  });
  const sf = runsOf(market.name, DEFAULTS);
  const pooled: Pooled = {
    accuracy: accuracyOf(sf, 'all').rate,
    raises: accuracyOf(sf, 'raise', 'accuracy_by_direction').rate,
    vsNone: upliftPct(margin(sf), none),
    vsStreak: upliftPct(margin(sf), streak),
  };
  return `### ${market.name}${market.cmd ? `: \`--market-cmd "${market.cmd}"\`` : ''}

${goalsLine(pooled)}

${markdownTable(
  [
    'policy',
    'margin',
    'vs none',
    'vs streak',
    'accuracy',
    'raises',
    'cuts (pauses, trims)',
    'accuracy, reconciled',
    'budget changes',
    'worst drawdown',
  ],
  rows,
)}

Per seed (scaleflow with METRICS.md defaults; agreement: how often was_right / right_vs_control agree
with the market's truth, the same campaign replayed without the change, same noise):

${markdownTable(
  [
    'seed',
    ...here.map((v) => `margin, ${v.name}`),
    'scaleflow vs none',
    'vs streak',
    'accuracy',
    'raises',
    'agreement with truth',
  ],
  perSeed,
)}
`;
});

// The runs a variant made: its jobs, on the markets it ran on.
const cpuMedian = (variant: string) =>
  (
    median(
      jobs
        .filter((j) => j.variant.name === variant)
        .map((j) => results.get(key(j.market.name, variant, j.seed))!.cpu_ms),
    ) / 1000
  ).toFixed(1);
const section = `## Backtest

\`npm run bench:backtest\` (test/bench/backtest.ts): \`scaleflow backtest --days ${DAYS} --campaigns ${CAMPAIGNS} --seed S --policy P\`
for seeds ${SEEDS.join(', ')}, every policy on the same market per seed, through the real ingest, decision,
optimiser, guardrail and outcome-check code on a temporary DuckDB file, on the built-in simulator
(lib/simulator) and on the example external market (\`${HILL}\`, a different family: saturating Hill
curves with carry-over, written apart from the engine and spoken to over the market protocol).
Margin is the market's own final margin (its \`truth\`) over the ${DAYS} days, summed over the seeds;
accuracy is right / checked of the 7-day outcome checks (METRICS.md), pooled over the seeds, as the
production check computes it (week after loaded, last days not yet reconciled), and again on the
reconciled numbers. Worst drawdown: the largest fall of cumulative margin from its peak, worst seed.
Issue 20's goals, for scaleflow with METRICS.md defaults on each market: accuracy >= 80%, raises >= 70%,
margin >= 15% above none and >= 5% above streak.

${marketSections.join('\n')}
scaleflow here is: the daily pipeline's evaluation and proposals, auto-approved, sized by the optimiser
(lib/optimizer/scale-step.ts: at most the optimum of the curve at its slope's lower bound and one 20%
exploration step, held under 10%), no new scale-up while the campaign's last change waits for its
outcome check, the approval-time guardrails, trims of held campaigns under 90% 7-day ROAS by the
optimiser's cut (at most 30%), and a scale-up whose check found the margin per day fell is taken back.
\`${ALTERNATIVE}\` raises winner_roas and scale_roas from METRICS.md's 130 to 180: METRICS.md keeps 130.

${jobs.length} runs, ${JOBS} at a time, in ${wallMin.toFixed(1)} min of wall. Median CPU per run: ${variants.map((v) => `${v.name} ${cpuMedian(v.name)} s`).join(', ')}.
Machine: ${machine()}; load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.
`;
writeSection('Backtest', section);
console.log(section);
