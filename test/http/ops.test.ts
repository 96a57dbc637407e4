import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../workers/http/rate-limit';
import { testConfig, withWorker } from '../support/temporal';

describe('ops endpoints of the worker', () => {
  it('reports health of DuckDB and Temporal, and serves Prometheus metrics', async () => {
    await withWorker(testConfig(), async (main) => {
      const health = await fetch(`${main.http!.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: 'ok',
        duckdb: 'open',
        temporal: 'reachable',
        sources: {
          strategis: { last_success: null, age_seconds: null },
          meta: { last_success: null, age_seconds: null },
        },
      });

      // A pull that finished two hours ago: its time and age are reported, and exported as a gauge.
      const finished = new Date(Date.now() - 2 * 3600_000);
      await main.warehouse.run(
        `INSERT INTO ingest_batches (batch_id, sha256, file, source, as_of, status, finished_at)
         VALUES ('b1', 'abc', 'report.csv', 'http', '2025-10-13', 'loaded', $1::TIMESTAMPTZ)`,
        [finished.toISOString()],
      );
      const after = (await (await fetch(`${main.http!.url}/healthz`)).json()) as {
        sources: { strategis: { last_success: string; age_seconds: number } };
      };
      expect(after.sources.strategis.last_success).toBe(finished.toISOString());
      expect(after.sources.strategis.age_seconds).toBeGreaterThanOrEqual(7200);
      expect(after.sources.strategis.age_seconds).toBeLessThan(7200 + 60);

      // A Meta sync hour half read does not count; one with every page in does.
      const synced = new Date(Date.now() - 30 * 60_000);
      await main.warehouse.run(
        `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ('2025-10-13 09:00:00+00', NULL), ('2025-10-13 08:00:00+00', $1::TIMESTAMPTZ)`,
        [synced.toISOString()],
      );
      const meta = (
        (await (await fetch(`${main.http!.url}/healthz`)).json()) as {
          sources: { meta: { last_success: string; age_seconds: number } };
        }
      ).sources.meta;
      expect(meta.last_success).toBe(synced.toISOString());
      expect(meta.age_seconds).toBeGreaterThanOrEqual(1800);
      expect(meta.age_seconds).toBeLessThan(1800 + 60);

      const metrics = await (await fetch(`${main.http!.url}/metrics`)).text();
      expect(metrics).toContain('scaleflow_approvals_pending 0');
      expect(metrics).toMatch(/scaleflow_source_age_seconds\{source="strategis"\} 72\d\d/);
      // The health call above was timed under its route.
      expect(metrics).toMatch(
        /scaleflow_http_request_duration_seconds_count\{route="GET \/healthz",status="200"\} [1-9]/,
      );
    });
  });

  it('answers 429 with Retry-After once a client passes the per-minute limit on the API', async () => {
    await withWorker(testConfig({ RATE_LIMIT_PER_MINUTE: '3' }), async (main) => {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${main.http!.url}/api/facebook/outcomes`)).status);
      // Three unauthenticated tries get their 401; the fourth is cut off before auth.
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await fetch(`${main.http!.url}/api/facebook/outcomes`);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Health checks are never limited.
      expect((await fetch(`${main.http!.url}/healthz`)).status).toBe(200);
    });
  });

  it('opens a new window after a minute', () => {
    let t = 0;
    const limiter = new RateLimiter(2, () => t);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 60]);
    t = 45_000;
    expect(limiter.take('a')).toBe(15);
    expect(limiter.take('b')).toBe(0);
    t = 60_000;
    expect(limiter.take('a')).toBe(0);
  });
});
