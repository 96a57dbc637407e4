import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datesBetween } from '../../lib/dates';
import type { Config } from '../../lib/config';
import { signApiToken } from '../../workers/http/jwt';
import type { MainWorker } from '../../workers/worker';
import { createMainWorker } from '../../workers/worker';
import { testConfig } from '../support/temporal';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { jsonApi } from '../support/api';

/**
 * Issue 16 item 7: numbers a hostile caller sends get a 400 naming the field, never a 500.
 * As found: `total_budget: 1e21` on POST /api/facebook/optimize/budget answered 500 (the planner's
 * cents conversion cannot read 1e+21). One campaign with seven days of spend, so the planner
 * really runs.
 */
const AS_OF = '2025-10-13';
const SECRET = 'hostile-numbers-secret-hostile-numbers!';
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').map((date) => ({
  date,
  campaign_id: 'W',
  campaign_name: 'Dental_W',
  owner: 'ben',
  category: 'Dental',
  spend: '100.00',
  revenue: '150.00',
}));
const base = {
  total_budget: 300,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 100, max_daily_spend_per_campaign: 200 },
};

describe('hostile numbers on the JSON API', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET });
    (await metricsWarehouse(config.SCALEFLOW_DB, rows)).close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
  });
  afterAll(async () => {
    main.worker.shutdown();
    await running;
  });

  const api = jsonApi(
    () => main.http!.url,
    () => manager,
  );
  const optimize = (body: unknown) => api.post(`/api/facebook/optimize/budget?as_of=${AS_OF}`, body);

  it('total_budget of 1e21 is a 400 naming total_budget (it was a 500)', async () => {
    const { status, body } = await optimize({ ...base, total_budget: 1e21 });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_request', field: 'total_budget' });
    expect(String(body.message)).toContain('total_budget');
  });

  it('level=adgroup is a 400 naming level (auto, campaign or adset)', async () => {
    const { status, body } = await api.post(`/api/facebook/optimize/budget?as_of=${AS_OF}&level=adgroup`, base);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_request', field: 'level' });
  });

  it.each([
    ['total_budget', { ...base, total_budget: 1e308 }],
    [
      'constraints.max_daily_spend_per_campaign',
      { ...base, constraints: { ...base.constraints, max_daily_spend_per_campaign: 1e21 } },
    ],
    [
      'constraints.min_daily_spend_per_campaign',
      { ...base, constraints: { ...base.constraints, min_daily_spend_per_campaign: 1e21 } },
    ],
    ['constraints.min_roas', { ...base, constraints: { ...base.constraints, min_roas: 1e21 } }],
    ['constraints.max_change_pct', { ...base, constraints: { ...base.constraints, max_change_pct: 1e21 } }],
  ])('%s far past its bound is a 400 naming it', async (field, request) => {
    const { status, body } = await optimize(request);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
  });

  it('the largest values allowed still plan', async () => {
    // total and cap $1e9 a day, min_roas 100,000%, max_change_pct 1,000%: a 200 with a plan.
    const { status, body } = await optimize({
      total_budget: 1e9,
      optimization_goal: 'max_margin',
      constraints: {
        min_roas: 100_000,
        max_daily_spend_per_campaign: 1e9,
        min_daily_spend_per_campaign: 1e9,
        max_change_pct: 1000,
      },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    // At min_roas 100,000% no campaign qualifies: W (roas 150%) is cut to 0.
    expect(body.recommendations).toMatchObject([{ campaign_id: 'W', recommended_budget: 0 }]);
  });

  it('no extreme query parameter (weeks, dates, windows, limits) reaches a 500', async () => {
    const paths = [
      '/api/facebook/metrics/launches?weeks=1e21',
      '/api/facebook/metrics/launches?weeks=-1',
      '/api/facebook/metrics/launches?as_of=0001-01-01&weeks=12',
      '/api/facebook/metrics/launches?as_of=9999-12-31&weeks=12',
      '/api/facebook/metrics/dashboard?as_of=0001-01-01&date_range=30d',
      '/api/facebook/metrics/dashboard?as_of=9999-12-31',
      '/api/facebook/metrics/dashboard?as_of=2025-02-30',
      '/api/facebook/metrics/dashboard?as_of=1e21',
      `/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=custom&start=0001-01-01&end=2025-10-12`,
      `/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=custom&start=2025-10-12&end=9999-12-31`,
      '/api/facebook/alerts/scaling?as_of=0001-01-01',
      '/api/facebook/alerts/held-back?as_of=9999-12-31',
      '/api/facebook/decisions?as_of=0001-01-01',
      '/api/facebook/outcomes?start=0001-01-01&end=9999-12-31',
      '/api/facebook/outcomes?start=9999-12-31&end=0001-01-01',
      '/api/facebook/outcomes/calibration?as_of=0001-01-01',
      '/api/facebook/outcomes/calibration?as_of=9999-12-31',
      '/api/rules/x/executions?limit=1e21',
      '/api/rules/x/executions?limit=Infinity',
      '/api/rules/x/executions?limit=-1',
    ];
    for (const path of paths) {
      const res = await fetch(`${main.http!.url}${path}`, { headers: { authorization: `Bearer ${manager}` } });
      expect(res.status, path).toBeLessThan(500);
      if (res.status === 400) expect(((await res.json()) as { field?: string }).field, path).toBeTruthy();
    }
    for (const asOf of ['0001-01-01', '9999-12-31']) {
      const res = await fetch(`${main.http!.url}/api/facebook/optimize/budget?as_of=${asOf}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...base, total_budget: 1e9 }),
      });
      expect(res.status, asOf).toBe(200);
    }
  });
});
