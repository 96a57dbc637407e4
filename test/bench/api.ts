// npm run bench:api: 2,000 campaigns x 365 days in DuckDB; the JSON API's dashboard, launches and
// alerts under 10 concurrent HTTP clients (p50/p95), and the decision engine's time for every
// campaign. Figures go to the "JSON API" section of BENCHMARKS.md. BENCH_UNCACHED=1 (npm run
// bench:api:large, 20,000 campaigns x 365 days = 7.3 M rows) times every request as an answer-cache
// miss and writes its own section.
import { loadAlertRules } from '../../services/rules/files';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Warehouse } from '../../services/warehouse/warehouse';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';
import { sqlFile } from '../../services/warehouse/sql';
import { addDays } from '../../lib/dates';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalytics } from '../../services/analytics/api';
import { dashboardCampaignsSql, dashboardKeptSql } from '../../services/analytics/dashboard-query';
import { evaluateAt } from '../../services/decisions/evaluate';
import { evaluateAndStore } from '../../services/decisions/evaluate-day';
import { request } from 'node:http';
import { parseConfig } from '../../lib/config';
import { daysNeeded, thresholdsConfigSchema } from '../../lib/decisions';
import { analyticsRoutes } from '../../workers/http/analytics-routes';
import { signApiToken } from '../../workers/http/jwt';
import { startHttpServer } from '../../workers/http/server';
import { generatedRows, metricsWarehouse } from '../reports/fixtures';
import { machine, median, ms, percentile, writeSection } from './support';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 2000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const CLIENTS = 10;
const REQUESTS_PER_CLIENT = Number(process.env.BENCH_REQUESTS ?? 30);
const AS_OF = '2025-10-13';
const SECRET = 'bench-api-secret-bench-api-secret-bench';
const UNCACHED = process.env.BENCH_UNCACHED === '1';
// BENCH_ROWS=sql (bench:api:large) makes the rows inside DuckDB (test/bench/sql/generated_*.sql):
// this bench measures the dashboard's queries, and 7.3 M rows through JS objects take an hour here.
const SQL_ROWS = process.env.BENCH_ROWS === 'sql';
const SEED = 7;
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
// At 7.3 M rows an uncached answer takes seconds: bench:api:large times fewer of them (the last
// helper's run of ~280 uncached requests at 2-120 s each did not finish in 66 minutes).
const COLD_RUNS = Number(process.env.BENCH_COLD ?? 5);
// Uncached requests one after another from one client, per endpoint (BENCH_UNCACHED only).
const IN_TURN = Number(process.env.BENCH_IN_TURN ?? 20);
const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 7);
// Issue 17's goal for the uncached dashboard at 7.3 M rows; the cached one's own, stricter budget.
const DASHBOARD_P95_BUDGET_MS = UNCACHED ? 100 : 50;
const TITLE = UNCACHED ? 'JSON API, uncached' : 'JSON API';
/** `1 request`, `10 requests`: the figures' wording. */
const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'scaleflow-bench-api-'));
try {
  let t = performance.now();
  let warehouse: Warehouse;
  let rowCount: number;
  if (process.env.BENCH_DB) {
    // A file an earlier BENCH_ROWS=sql run made, reused to time the requests again without the rows' minutes.
    warehouse = await Warehouse.open(process.env.BENCH_DB);
    const [count] = await warehouse.all<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM campaign_daily_facts');
    rowCount = Number(count!.n);
  } else if (SQL_ROWS) {
    warehouse = await Warehouse.open(join(dir, 'bench.duckdb'));
    const sql = (name: string) => readFileSync(join(import.meta.dirname, 'sql', `${name}.sql`), 'utf8');
    await warehouse.run(sql('generated_facts'), [CAMPAIGNS, DAYS, addDays(AS_OF, -1), SEED]);
    await warehouse.run(sql('generated_map'));
    // Written past the loader: roll the campaign days up as a load would (migration 021).
    await refreshCampaignDays(warehouse, 'all');
    const [count] = await warehouse.all<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM campaign_daily_facts');
    rowCount = Number(count!.n);
  } else {
    const rows = generatedRows(CAMPAIGNS, AS_OF, DAYS, SEED);
    warehouse = await metricsWarehouse(join(dir, 'bench.duckdb'), rows);
    rowCount = rows.length;
  }
  const loadMs = performance.now() - t;
  const loadAtStart = loadavg();
  // The answer cache keys every answer by the warehouse's write generation (answer-cache.ts). Read
  // as a new number every time, no key ever repeats: each request (and the evaluation it shares
  // with alerts) misses and computes afresh, as the first request after a load does.
  // Switched off for the cached pass that follows the uncached one.
  let generationReads = 0;
  let missEveryTime = UNCACHED;
  const realGeneration = Object.getOwnPropertyDescriptor(Warehouse.prototype, 'generation')!.get!;
  if (UNCACHED)
    Object.defineProperty(warehouse, 'generation', {
      get: () => (missEveryTime ? ++generationReads : (realGeneration.call(warehouse) as number)),
    });
  const thresholds = thresholdsConfigSchema.parse(undefined);
  const config = parseConfig({ JWT_SECRET: SECRET, TZ: 'America/New_York' });

  // Setup, timed apart: the daily pipeline's evaluateAndStore decides every campaign and stores the
  // day's decisions and alerts before anyone opens the dashboard, as production does. The uncached
  // requests below then read them back: their fingerprint (services/decisions/stored.ts) hashes the
  // warehouse's contents, not the write generation the bench bumps, so they stay current.
  t = performance.now();
  await evaluateAndStore(warehouse, config, thresholds, AS_OF);
  const storeMs = performance.now() - t;
  const storedAt = async () =>
    (
      await warehouse.one<{ at: string }>('SELECT stored_at::VARCHAR AS at FROM decision_runs WHERE as_of = $1::DATE', [
        AS_OF,
      ])
    )?.at;
  const storedBefore = await storedAt();

  // The decision engine alone, every campaign, as the daily pipeline and the API run it.
  const engine: number[] = [];
  let decided = 0;
  for (let i = 0; i < ENGINE_RUNS; i++) {
    t = performance.now();
    const evaluation = await evaluateAt(warehouse, {
      asOf: AS_OF,
      timeZone: config.TZ,
      thresholds,
      rules: loadAlertRules(config.RULES_DIR),
    });
    engine.push(performance.now() - t);
    decided = evaluation.decisions.length;
  }

  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    routes: analyticsRoutes(createAnalytics({ warehouse, config, thresholds })),
    jwtSecret: SECRET,
    rateLimitPerMinute: 1_000_000,
    onError: (err) => console.error(err),
  });
  const token = await signApiToken(SECRET, { sub: 'bench@example.com', role: 'manager' });

  // node:http, not fetch: an uncached alerts answer still runs the engine, and ten of them queued on
  // one JS thread outlast undici's 300 s header timeout at 7.3 M rows.
  const httpGet = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  async function load(path: string): Promise<number[]> {
    const url = `${http.url}${path}`;
    const get = async () => {
      const started = performance.now();
      const res = await httpGet(url);
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${res.body}`);
      return performance.now() - started;
    };
    await get(); // warm-up: first queries plan and fill DuckDB's caches
    const readsBefore = generationReads;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < REQUESTS_PER_CLIENT; i++) latencies.push(await get());
      }),
    );
    // Every timed request asked the cache at least once, under a generation never seen before.
    if (missEveryTime && generationReads - readsBefore < latencies.length)
      throw new Error(`${path}: only ${generationReads - readsBefore} cache lookups for ${latencies.length} requests`);
    return latencies;
  }

  const endpoints = [
    ['dashboard, 7d, all owners', `/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=7d`],
    ['dashboard, 30d, losers', `/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=30d&campaign_filter=losers`],
    ['launches, 4 weeks', `/api/facebook/metrics/launches?as_of=${AS_OF}&weeks=4`],
    ['alerts', `/api/facebook/alerts/scaling?as_of=${AS_OF}`],
  ] as const;
  // Cold: the first request after the warehouse changed (a load, a sync, an approval) computes
  // the answer; the ones after it, until the next change, are served from the answer cache.
  async function cold(path: string): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      warehouse.touched();
      const started = performance.now();
      await httpGet(`${http.url}${path}`);
      times.push(performance.now() - started);
    }
    return median(times);
  }
  // Uncached, BENCH_RUNS (default 1) timed passes per endpoint: each figure is the median of the
  // passes' p50s and p95s, so one pass disturbed by the machine's other load does not decide it.
  const results: {
    name: string;
    p50: number;
    p95: number;
    cold: number;
    cachedP50?: number;
    cachedP95?: number;
    inTurn?: number[];
  }[] = [];
  for (const [name, path] of endpoints) {
    const first = await cold(path);
    const runs: number[][] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await load(path));
    results.push({
      name,
      p50: median(runs.map((l) => percentile(l, 50))),
      p95: median(runs.map((l) => percentile(l, 95))),
      cold: first,
    });
  }
  if (UNCACHED) {
    // One client, one uncached request at a time: an answer's own latency, no request queued behind
    // another on the two cores (the concurrent pass above measures that too).
    for (const [i, [, path]] of endpoints.entries()) {
      const times: number[] = [];
      for (let k = 0; k < IN_TURN; k++) {
        const s = performance.now();
        const res = await httpGet(`${http.url}${path}`);
        if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${res.body}`);
        times.push(performance.now() - s);
      }
      results[i]!.inTurn = times;
    }
    // The same load answered from the answer cache, as between two warehouse writes.
    missEveryTime = false;
    for (const [i, [, path]] of endpoints.entries()) {
      const latencies = await load(path);
      results[i]!.cachedP50 = percentile(latencies, 50);
      results[i]!.cachedP95 = percentile(latencies, 95);
    }
  }
  // No timed request recomputed and stored the day's decisions: they stayed current throughout.
  if ((await storedAt()) !== storedBefore)
    throw new Error('the stored decisions were recomputed during the timed requests');
  // What an uncached dashboard is made of, each part alone (median of 3, no other request running).
  // Wall and CPU (this process's user + system, DuckDB's threads included), median of PART_RUNS.
  const PART_RUNS = 9;
  const parts: { name: string; ms: number; cpu: number }[] = [];
  const timeIt = async (name: string, run: () => Promise<unknown>) => {
    const xs: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < PART_RUNS; i++) {
      const s = performance.now();
      const c = process.cpuUsage();
      await run();
      const used = process.cpuUsage(c);
      xs.push(performance.now() - s);
      cpus.push((used.user + used.system) / 1000);
    }
    parts.push({ name, ms: median(xs), cpu: median(cpus) });
  };
  if (UNCACHED) {
    const yesterday = addDays(AS_OF, -1);
    const week = [addDays(yesterday, -6), yesterday] as const;
    const month = [addDays(yesterday, -29), yesterday] as const;
    // Before refresh_window_totals below, which drops these rows until the next decisions store.
    await timeIt('dashboard campaigns query, rows resolved at the store (7 days, all: summary, by_owner, top 10)', () =>
      warehouse.all(dashboardKeptSql(), [...week, 'all', 'all', AS_OF, 10]),
    );
    await timeIt('dashboard campaigns query, rows resolved at the store (30 days, losers)', () =>
      warehouse.all(dashboardKeptSql(), [...month, 'all', 'losers', AS_OF, 10]),
    );
    await timeIt('pipeline/refresh_dashboard_campaigns (what every decisions store now also runs)', () =>
      warehouse.transaction(() => warehouse.run(sqlFile('pipeline/refresh_dashboard_campaigns'), [AS_OF])),
    );
    for (const kept of [true, false]) {
      const from = kept ? 'kept window totals' : 'rolled up from campaign_days';
      await timeIt(`dashboard campaigns query, ${from} (7 days, all: summary, by_owner, top 10 in one row)`, () =>
        warehouse.all(dashboardCampaignsSql(kept), [...week, 'all', 'all', AS_OF, 10]),
      );
      await timeIt(`dashboard campaigns query, ${from} (30 days, losers)`, () =>
        warehouse.all(dashboardCampaignsSql(kept), [...month, 'all', 'losers', AS_OF, 10]),
      );
    }
    await timeIt('pipeline/stored_alerts (all owners)', () =>
      warehouse.all(sqlFile('pipeline/stored_alerts'), [AS_OF, 'all']),
    );
    await timeIt('warehouse/refresh_window_totals (what every load now also runs)', () =>
      warehouse.transaction(() => warehouse.run(sqlFile('warehouse/refresh_window_totals'))),
    );
    await timeIt('metrics/campaign_window (7 days, every campaign to JS, the path before)', () =>
      warehouse.all(sqlFile('metrics/campaign_window'), [...week, 'all']),
    );
    await timeIt('metrics/has_adset_window_rows (7 days)', () =>
      warehouse.all(sqlFile('metrics/has_adset_window_rows'), [...week]),
    );
    await timeIt('pipeline/decision_inputs (are the stored decisions current?)', () =>
      warehouse.all(sqlFile('pipeline/decision_inputs')),
    );
    await timeIt('metrics/has_adset_rows (launches)', () => warehouse.all(sqlFile('metrics/has_adset_rows')));
    const lookback = daysNeeded(thresholds, loadAlertRules(config.RULES_DIR), 1);
    await timeIt(`metrics/recent_rows (the engine's input, ${lookback} days)`, () =>
      warehouse.all(sqlFile('metrics/recent_rows'), [addDays(yesterday, -(lookback - 1)), yesterday, 'all']),
    );
    await timeIt('metrics/launch_dates (kept first spend days)', () =>
      warehouse.all(sqlFile('metrics/launch_dates'), [yesterday]),
    );
    await timeIt('metrics/executed_change_facts', () =>
      warehouse.all(sqlFile('metrics/executed_change_facts'), [Date.parse(`${AS_OF}T00:00:00Z`)]),
    );
  }
  await http.close();
  warehouse.close();

  const dashboardP95 = Math.max(...results.filter((r) => r.name.startsWith('dashboard')).map((r) => r.p95));
  const ok = dashboardP95 < DASHBOARD_P95_BUDGET_MS;
  const loadAtEnd = loadavg();
  const section = UNCACHED
    ? `## ${TITLE}

\`npm run bench:api:large\` (test/bench/api.ts with BENCH_CAMPAIGNS=${CAMPAIGNS} BENCH_ROWS=sql BENCH_UNCACHED=1 BENCH_REQUESTS=${REQUESTS_PER_CLIENT} BENCH_RUNS=${RUNS}): ${CAMPAIGNS.toLocaleString('en-US')} campaigns x ${DAYS} days
(${rowCount.toLocaleString('en-US')} rows, ${process.env.BENCH_DB ? `an earlier run's file reused with BENCH_DB, opened in ${(loadMs / 1000).toFixed(1)} s` : `loaded in ${(loadMs / 1000).toFixed(1)} s`}), as of ${AS_OF}. ${CLIENTS} concurrent
clients over loopback HTTP with a manager's JWT, ${plural(REQUESTS_PER_CLIENT, 'request')} each per endpoint after one warm-up.
Uncached: the bench makes the warehouse's write generation a new number at every read, so the
answer cache (services/analytics/answer-cache.ts, keyed by generation) never finds a key and every
timed request computes its answer (the bench checks there was a fresh lookup for each request).
Goal (issue 17): dashboard p95 under ${DASHBOARD_P95_BUDGET_MS} ms. ${ok ? 'Met.' : '**Missed** (see below).'}
Uncached p50 and p95: ${RUNS === 1 ? 'one timed pass' : `median over ${RUNS} timed passes`} of ${plural(CLIENTS * REQUESTS_PER_CLIENT, 'request')}.

| endpoint | uncached p50 | uncached p95 | one client in turn, uncached p50 / p95 (${IN_TURN} requests) | one request alone, uncached (${COLD_RUNS === 1 ? 'one run' : `median of ${COLD_RUNS}`}) | cached p50 | cached p95 |
| --- | --- | --- | --- | --- | --- | --- |
${results.map((r) => `| ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(percentile(r.inTurn!, 50))} / ${ms(percentile(r.inTurn!, 95))} | ${ms(r.cold)} | ${ms(r.cachedP50!)} | ${ms(r.cachedP95!)} |`).join('\n')}

The parts of an uncached dashboard, each alone (median of ${PART_RUNS}, wall, then CPU of this process):
${parts.map((p) => `${p.name} ${ms(p.ms)} (CPU ${ms(p.cpu)})`).join(', ')}.

Setup, timed apart: the daily pipeline's \`evaluateAndStore\` (every campaign decided, the day's decisions and
alerts stored) took ${ms(storeMs)}, before the first request, as in production. Every timed request then found
them current (the bench checks \`decision_runs\` was not rewritten) and summed summary, \`by_owner\` and the top 10
in DuckDB from the rows that store resolved (data/sql/metrics/dashboard_kept.sql, migration 026); the ad-set queries
did not run (no ad-set rows).

Decision engine for all ${decided.toLocaleString('en-US')} campaigns (rows read from DuckDB, decisions, alerts, anomalies):
median ${ms(median(engine))} over ${plural(ENGINE_RUNS, 'run')}. Uncached alerts read the stored day back instead.

Machine: ${machine()}; load average (1, 5, 15 min) ${loadAtStart} at the start and ${loadAtEnd} at the end
(other processes share the cores). ${SQL_ROWS ? "Rows generated in SQL (test/bench/sql/generated_facts.sql, generatedRows' shape, seed " + SEED + '), not through the ingest.' : 'Data from the seeded generator in test/reports/fixtures.ts.'}
`
    : `## JSON API

\`npm run bench:api\` (test/bench/api.ts): ${CAMPAIGNS.toLocaleString('en-US')} campaigns x ${DAYS} days
(${rowCount.toLocaleString('en-US')} rows, loaded in ${(loadMs / 1000).toFixed(1)} s), as of ${AS_OF}. ${CLIENTS} concurrent
clients over loopback HTTP with a manager's JWT, ${plural(REQUESTS_PER_CLIENT, 'request')} each per endpoint after one warm-up.
Budget: dashboard p95 under ${DASHBOARD_P95_BUDGET_MS} ms (the PRD asks for under 2 s). ${ok ? 'Within budget.' : '**Over budget.**'}

| endpoint | p50 | p95 | first request after a load (${COLD_RUNS === 1 ? 'one run' : `median of ${COLD_RUNS}`}) |
| --- | --- | --- | --- |
${results.map((r) => `| ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.cold)} |`).join('\n')}

Answers are cached per warehouse write generation (services/analytics/answer-cache.ts): the worker
is the file's only writer, so any load, sync or approval makes the next request compute afresh;
the last column is that cost.

Decision engine for all ${decided.toLocaleString('en-US')} campaigns (rows read from DuckDB, decisions, alerts, anomalies):
median ${ms(median(engine))} over ${plural(ENGINE_RUNS, 'run')}.

Machine: ${machine()}. Data from the seeded generator in test/reports/fixtures.ts.
`;
  writeSection(TITLE, section);
  console.log(section);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
