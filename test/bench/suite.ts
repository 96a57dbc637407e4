// `npm run bench:suite`: how long `npm test` takes to run again (dependencies, Temporal CLI, bundle
// and type-check cache warm), BENCH_RUNS times (default 3), wall and CPU of the whole command.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { machine, median, writeSection } from './support';

interface Run {
  wallS: number;
  cpuS: number;
  vitestS: number;
  passed: boolean;
}

/** One `npm test`, timed by GNU time (wall, user + system of it and every process it waited for). */
function runOnce(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIMED %e %U %S', 'npm', 'test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      const plain = stripVTControlCharacters(output);
      const timed = /TIMED ([\d.]+) ([\d.]+) ([\d.]+)/.exec(plain);
      const vitest = /Duration\s+([\d.]+)s/.exec(plain);
      if (!timed) return reject(new Error(`no timing in the output of npm test:\n${plain.slice(-2000)}`));
      resolve({
        wallS: Number(timed[1]),
        cpuS: Number(timed[2]) + Number(timed[3]),
        vitestS: vitest ? Number(vitest[1]) : Number.NaN,
        passed: code === 0,
      });
    });
  });
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const loadBefore = loadavg()[0]!;
// The first run warms what a re-run reuses (bundle, tsc build info, vitest's file order).
const warm = await runOnce();
if (!warm.passed) throw new Error('npm test failed: fix it before timing it');
const timed: Run[] = [];
for (let i = 0; i < runs; i++) {
  const run = await runOnce();
  if (!run.passed) throw new Error('npm test failed during the benchmark');
  timed.push(run);
  console.log(
    `run ${i + 1}: ${run.wallS.toFixed(1)} s wall, ${run.cpuS.toFixed(0)} s CPU, vitest ${run.vitestS.toFixed(1)} s`,
  );
}
const loadAfter = loadavg()[0]!;
const wall = median(timed.map((r) => r.wallS));
const cpu = median(timed.map((r) => r.cpuS));
const vitest = median(timed.map((r) => r.vitestS));
const fmt = (s: number) => `${Math.floor(s / 60)} m ${(s % 60).toFixed(0).padStart(2, '0')} s`;

writeSection(
  'Test suite',
  `\`npm run bench:suite\` (test/bench/suite.ts): \`npm test\` run again on a warm checkout (npm packages,
Temporal CLI, workflow bundle and type-check cache in place), timed by \`/usr/bin/time\`; one warm-up run,
then ${runs} timed. Budget (the foundation issue): under 2 minutes.

| what | median | runs |
| --- | --- | --- |
| \`npm test\`, wall | ${fmt(wall)} | ${timed.map((r) => `${r.wallS.toFixed(1)} s`).join(', ')} |
| of which vitest | ${fmt(vitest)} | ${timed.map((r) => `${r.vitestS.toFixed(1)} s`).join(', ')} |
| CPU (user + system, every process) | ${cpu.toFixed(0)} s | ${timed.map((r) => `${r.cpuS.toFixed(0)} s`).join(', ')} |

CPU over wall is about ${(cpu / wall).toFixed(1)} of the 2 cores: the suite is CPU-bound, so other load on the machine
adds to it directly. Before this work (same machine, same command): 2 m 54 s wall and 324 s of CPU,
of which 125 s were the ~40 processes the tests start compiling TypeScript through tsx.

Machine: ${machine()}; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end.
`,
);
console.log(`npm test: median ${fmt(wall)} wall, ${cpu.toFixed(0)} s CPU`);
