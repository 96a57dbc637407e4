// npm run bench:report: generates 2,000 campaigns x 40 days, renders the full team report (every
// query, the Arrow datasets, the charts, the page) several times and the team email once more, and
// writes the median timings into the "Report rendering" section of BENCHMARKS.md. Before timing, the
// day is evaluated by the real decision engine (decisions, alerts and anomaly flags stored as the
// pipeline stores them) and one Meta sync hour is written for every campaign, so the pacing, alerts
// and anomalies cells read a full day's worth of rows too.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReportEmail, renderReportFiles, reportScope } from '../../services/reports/engine';
import { runCell } from '../../services/reports/query';
import { loadReport } from '../../services/reports/catalog';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import type { Warehouse } from '../../services/warehouse/warehouse';
import type { Config } from '../../lib/config';
import { generatedRows, metricsWarehouse } from '../reports/fixtures';
import { machine, median, ms, writeSection } from './support';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const AS_OF = '2025-10-13';
const BUDGET_MS = 3000;

const TZ = 'America/New_York';

/**
 * One completed sync hour (06:00 New York) with every campaign mapped, its budget and a quarter-day's spend, spread
 * by a hash.
 */
async function seedMetaSync(warehouse: Warehouse) {
  await warehouse.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id)
    SELECT campaign_id, 'm-' || campaign_id, any_value(owner), 'act_1' FROM daily_campaign_metrics GROUP BY campaign_id`);
  await warehouse.run(
    `INSERT INTO meta_sync_runs (snapshot_hour, finished_at, accounts, campaigns) VALUES ('2025-10-13 10:00:00+00', '2025-10-13 10:05:00+00', 1, ${CAMPAIGNS})`,
  );
  await warehouse.run(`INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
    SELECT '2025-10-13 10:00:00+00', 'act_1', 'm-' || campaign_id, any_value(campaign_name), 'ACTIVE', 'USD',
           CAST(round(avg(spend) * 1.2) AS DECIMAL(18, 2)),
           true, DATE '2025-10-13',
           CAST(round(avg(spend) * 1.2 * (hash(campaign_id) % 60) / 100.0, 2) AS DECIMAL(18, 2))
    FROM daily_campaign_metrics GROUP BY campaign_id`);
}

const loadAtStart = loadavg()[0]!;
const dir = mkdtempSync(join(tmpdir(), 'scaleflow-bench-report-'));
try {
  const rows = generatedRows(CAMPAIGNS, AS_OF);
  const warehouse = await metricsWarehouse(join(dir, 'bench.duckdb'), rows);
  const evaluation = await evaluateAndStore(
    warehouse,
    { TZ, RULES_DIR: 'rules' } as Config,
    { global: {}, owners: {} },
    AS_OF,
  );
  await seedMetaSync(warehouse);
  const reportsDir = join(dir, 'reports');

  // Cold: the first render in a process also loads the cell files and starts jsdom.
  let t = performance.now();
  await loadReport();
  const first = await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, timeZone: TZ });
  const cold = performance.now() - t;

  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, timeZone: TZ });
    warm.push(performance.now() - t);
  }
  const owner: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await renderReportFiles({ warehouse, reportsDir, asOf: AS_OF, owner: 'ben', timeZone: TZ });
    owner.push(performance.now() - t);
  }
  const email: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    t = performance.now();
    await buildReportEmail({ warehouse, reportsDir, asOf: AS_OF, timeZone: TZ });
    email.push(performance.now() - t);
  }
  // Where the query time goes: each cell's query alone, warm, median of the runs.
  const report = await loadReport();
  const scope = reportScope(AS_OF, null, TZ);
  const perCell = new Map<string, number[]>();
  for (let i = 0; i < RUNS; i++) {
    for (const cell of report.cells) {
      t = performance.now();
      await runCell(warehouse, cell, scope);
      perCell.set(cell.id, [...(perCell.get(cell.id) ?? []), performance.now() - t]);
    }
  }
  const slowest = [...perCell.entries()].map(([id, times]) => ({ id, ms: median(times) })).sort((a, b) => b.ms - a.ms);
  warehouse.close();

  const pageKb = Math.round(statSync(first.page).size / 1024);
  const ok = cold < BUDGET_MS && median(warm) < BUDGET_MS;
  const section = `## Report rendering

\`npm run bench:report\` (test/bench/report.ts): ${CAMPAIGNS.toLocaleString('en-US')} campaigns over 40 days
(${rows.length.toLocaleString('en-US')} rows in DuckDB), as of ${AS_OF}, evaluated by the decision engine (${evaluation.alerts} alerts,
anomaly flags in decisions.detail) and one Meta sync hour for every campaign; the full team report is all ${first.cells} cells' queries, their
Arrow datasets written to disk, ${first.charts} Plot charts as SVG and the page (${pageKb} KB). Median of ${RUNS} runs after a cold one.
Budget: under 3 s for the team report. ${ok ? 'Within budget.' : '**Over budget.**'}

| what | time |
| --- | --- |
| team report, cold (first in the process: cell files loaded, jsdom started) | ${ms(cold)} |
| team report, warm median | ${ms(median(warm))} |
| one owner's report, warm median | ${ms(median(owner))} |
| team email from the saved datasets (charts to PNG with resvg), median | ${ms(median(email))} |

Each cell's query alone (team, warm median): ${slowest.map((c) => `${c.id} ${ms(c.ms)}`).join(', ')}.

Machine: ${machine()}; 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at
the end (other processes share the cores, so times are upper bounds). Data from the deterministic generator in
test/reports/fixtures.ts (seeded), so runs compare.
`;
  writeSection('Report rendering', section);
  console.log(section);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
