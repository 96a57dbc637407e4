// npm run bench:ingest: writes a generated 1,000,000-row strateg.is file, loads it with scaleflow's
// ingest (archive, validation, quarantine, merge into the fact table) into a fresh DuckDB file, and
// in the same run reads it with DuckDB's own read_csv into a table: the ceiling. Each measurement runs
// in its own process, so its peak RSS is its own. Writes the "strateg.is ingest" section of BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadStrategisFile } from '../../services/strategis/load';
import { Warehouse } from '../../services/warehouse/warehouse';
import { addDays } from '../../lib/dates';
import { sampleReportLines } from '../../lib/sample/strategis';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const START = '2025-01-01';
const END = '2025-10-12';
const AS_OF = addDays(END, 1);
const self = fileURLToPath(import.meta.url);

interface Measured {
  ms: number;
  maxRssMb: number;
  rows: number;
}

async function child(kind: string, file: string, dir: string): Promise<Measured> {
  const t = performance.now();
  let rows: number;
  if (kind === 'duckdb') {
    const instance = await DuckDBInstance.create(join(dir, `ceiling-${process.pid}.duckdb`));
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      `CREATE TABLE report AS SELECT * FROM read_csv('${file}'); SELECT count(*) AS n FROM report`,
    );
    rows = Number(reader.getRowObjectsJson()[0]!.n);
    connection.closeSync();
    instance.closeSync();
  } else {
    const warehouse = await Warehouse.open(join(dir, `ingest-${process.pid}.duckdb`));
    const started = performance.now();
    const result = await loadStrategisFile(
      warehouse,
      { path: file, source: 'cli', asOf: AS_OF },
      { archiveDir: join(dir, `archive-${process.pid}`) },
    );
    const ms = performance.now() - started; // migrations of the fresh file are not the load
    warehouse.close();
    if (result.accepted + result.quarantined + result.skipped !== ROWS)
      throw new Error(`lost rows: ${JSON.stringify(result)}`);
    return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows: result.accepted };
  }
  return { ms: performance.now() - t, maxRssMb: process.resourceUsage().maxRSS / 1024, rows };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const loadAtStart = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'scaleflow-bench-ingest-'));
  try {
    const file = join(dir, 'strategis-1m.csv');
    const out = createWriteStream(file);
    let written = -1;
    for (const line of sampleReportLines({ start: START, end: END, campaigns: 6000, seed: 7, pulledOn: AS_OF })) {
      if (written >= ROWS) break;
      if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += 1;
    }
    await new Promise<void>((r) => out.end(() => r()));
    if (written < ROWS) throw new Error(`the generator made only ${written} rows; raise campaigns or days`);
    const mb = statSync(file).size / 1024 / 1024;

    const measure = (kind: string): Measured =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', self, '--child', kind, file, dir], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop()!,
      );
    const ceiling: Measured[] = [];
    const ours: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      ceiling.push(measure('duckdb'));
      ours.push(measure('ingest'));
    }
    const ceilingMs = median(ceiling.map((m) => m.ms));
    const oursMs = median(ours.map((m) => m.ms));
    const rate = (ms: number) => Math.round(ROWS / (ms / 1000));
    const ratio = rate(oursMs) / rate(ceilingMs);
    const fmt = (n: number) => n.toLocaleString('en-US');
    const section = `## strateg.is ingest

\`npm run bench:ingest\` (test/bench/ingest.ts): a generated strateg.is report of ${fmt(ROWS)} rows
(${mb.toFixed(0)} MB, 14 columns, lib/sample/strategis.ts seed 7). scaleflow's load is the whole
\`scaleflow ingest\` path into a fresh DuckDB file: archive copy and its sha256, line count, DuckDB
\`read_csv\` of every cell as text, validation in SQL (every contract rule, reasons and duplicates;
cells already in DuckDB's printed form skip the patterns), quarantine with exact lines, restatement
check and upsert into \`campaign_daily_facts\`. The ceiling is DuckDB's own
\`CREATE TABLE AS SELECT * FROM read_csv(file)\` (auto-detected types) of the same file in the same run.
Median of ${RUNS} runs each, every run in its own process (peak RSS is that process's).
Done-when: at least one third of the ceiling's rows/s. ${ratio >= 1 / 3 ? 'Met' : 'NOT met'}.

| what | time | rows/s | peak RSS |
| --- | --- | --- | --- |
| DuckDB \`read_csv\` into a table (ceiling) | ${fmt(Math.round(ceilingMs))} ms | ${fmt(rate(ceilingMs))} | ${fmt(Math.round(median(ceiling.map((m) => m.maxRssMb))))} MB |
| scaleflow ingest, validation and quarantine included | ${fmt(Math.round(oursMs))} ms | ${fmt(rate(oursMs))} | ${fmt(Math.round(median(ours.map((m) => m.maxRssMb))))} MB |
| ratio | | **${ratio.toFixed(2)}** of the ceiling | |

Machine: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version};
load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end of the run (other processes share
the cores; compare ratios, not times).
`;
    console.log(section);
    const path = join(fileURLToPath(new URL('../..', import.meta.url)), 'BENCHMARKS.md');
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
    const pattern = /## strateg\.is ingest\n[\s\S]*?(?=\n## |$)/;
    writeFileSync(
      path,
      pattern.test(current) ? current.replace(pattern, section.trimEnd() + '\n') : `${current.trimEnd()}\n\n${section}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child')
  console.log(JSON.stringify(await child(process.argv[3]!, process.argv[4]!, process.argv[5]!)));
else await main();
