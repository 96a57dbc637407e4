// npm run bench:report: generates 2,000 campaigns x 40 days, renders the full team report (every
// query, the Arrow datasets, the charts, the page) several times and the team email once more, and
// writes the median timings into the "Report rendering" section of BENCHMARKS.md.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReportEmail, renderReportFiles } from '../../activities/reports/engine';
import { loadReport } from '../../activities/reports/catalog';
import { generatedRows, metricsWarehouse } from '../reports/fixtures';
import { machine, median, ms, writeSection } from './support';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const AS_OF = '2025-10-13';
const BUDGET_MS = 3000;

const dir = mkdtempSync(join(tmpdir(), 'scaleflow-bench-report-'));
try {
  const rows = generatedRows(CAMPAIGNS, AS_OF);
  const warehouse = await metricsWarehouse(join(dir, 'bench.duckdb'), rows);
  const reportsDir = join(dir, 'reports');

  // Cold: the first render in a process also loads the cell files and starts jsdom.
  let t = performance.now();
  await loadReport();
  const first = await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF });
  const cold = performance.now() - t;

  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF });
    warm.push(performance.now() - t);
  }
  const owner: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner: 'ben' });
    owner.push(performance.now() - t);
  }
  const email: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    t = performance.now();
    await buildReportEmail({ warehouse, reportsDir, asOf: AS_OF });
    email.push(performance.now() - t);
  }
  warehouse.close();

  const pageKb = Math.round(statSync(first.page).size / 1024);
  const ok = cold < BUDGET_MS && median(warm) < BUDGET_MS;
  const section = `## Report rendering

\`npm run bench:report\` (test/bench/report.ts): ${CAMPAIGNS.toLocaleString('en-US')} campaigns over 40 days
(${rows.length.toLocaleString('en-US')} rows in DuckDB), as of ${AS_OF}; the full team report is every cell's query, its Arrow
dataset written to disk, ${first.charts} Plot charts as SVG and the page (${pageKb} KB). Median of ${RUNS} runs after a cold one.
Budget: under 3 s for the team report. ${ok ? 'Within budget.' : '**Over budget.**'}

| what | time |
| --- | --- |
| team report, cold (first in the process: cell files loaded, jsdom started) | ${ms(cold)} |
| team report, warm median | ${ms(median(warm))} |
| one owner's report, warm median | ${ms(median(owner))} |
| team email from the saved datasets (charts to PNG with resvg), median | ${ms(median(email))} |

Machine: ${machine()}. Data from the deterministic generator in
test/reports/fixtures.ts (seeded), so runs compare.
`;
  writeSection('Report rendering', section);
  console.log(section);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
