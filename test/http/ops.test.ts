import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../workers/http/rate-limit';
import { testConfig, withWorker } from '../support/temporal';

describe('ops endpoints of the worker', () => {
  it('reports health of DuckDB and Temporal, and serves Prometheus metrics', async () => {
    await withWorker(testConfig(), async (main) => {
      const health = await fetch(`${main.http!.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', duckdb: 'open', temporal: 'reachable' });

      const metrics = await (await fetch(`${main.http!.url}/metrics`)).text();
      expect(metrics).toContain('scaleflow_approvals_pending 0');
      // The health call above was timed under its route.
      expect(metrics).toMatch(/scaleflow_http_request_duration_seconds_count\{route="GET \/healthz",status="200"\} [1-9]/);
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
