import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { datesBetween } from '../../lib/dates';
import type { Config } from '../../lib/config';
import { signApiToken } from '../../workers/http/jwt';
import type { MainWorker } from '../../workers/worker';
import { createMainWorker } from '../../workers/worker';
import { spawnCli } from '../support/processes';
import { testConfig } from '../support/temporal';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { jsonApi } from '../support/api';

/**
 * The PRD's JSON API end to end: a worker over a real DuckDB file, JWTs, HTTP. Seven days
 * (2025-10-06..12, as_of 2025-10-13) of three steady campaigns, $100 spend a day each:
 *   W (ben, Dental) revenue $150/day -> roas 150, a stable winner;
 *   A (ben, Dental) revenue $110/day -> roas 110, average;
 *   L (tj, Solar)   revenue  $50/day -> roas 50, a stable loser.
 */
const AS_OF = '2025-10-13';
const SECRET = 'analytics-test-secret-analytics-test!';
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').flatMap((date) => [
  {
    date,
    campaign_id: 'W',
    campaign_name: 'Dental_W',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '150.00',
  },
  {
    date,
    campaign_id: 'A',
    campaign_name: 'Dental_A',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '110.00',
  },
  {
    date,
    campaign_id: 'L',
    campaign_name: 'Solar_L',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '50.00',
  },
]);

describe('the JSON API over HTTP, and the same answers from the CLI', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;
  let tj: string;

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET });
    (await metricsWarehouse(config.SCALEFLOW_DB, rows)).close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
    tj = await signApiToken(SECRET, { sub: 'tj@example.com', role: 'buyer', owner: 'tj' });
  });
  afterAll(async () => {
    main.worker.shutdown();
    await running;
  });

  const { get } = jsonApi(
    () => main.http!.url,
    () => manager,
  );

  it('dashboard: 7-day totals, owners by margin, top performers with their recommendation', async () => {
    const { status, body } = await get(`/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=7d`);
    expect(status).toBe(200);
    // spend 3 x 700 = 2100; revenue 1050 + 770 + 350 = 2170; margin 70; rate 70 / 2100 = 0.0333
    expect(body.summary).toEqual({
      total_spend: 2100,
      total_revenue: 2170,
      total_margin: 70,
      margin_rate: 0.033,
      active_campaigns: 3,
      positive_margin_campaigns: 2,
    });
    expect(body.by_owner).toEqual([
      { owner: 'ben', spend: 1400, margin: 420, top_campaigns: ['W', 'A'], scaling_opportunities: 1 },
      { owner: 'tj', spend: 700, margin: -350, top_campaigns: ['L'], scaling_opportunities: 0 },
    ]);
    expect(body.top_performers).toEqual([
      {
        entity_type: 'campaign',
        entity_id: 'W',
        campaign_id: 'W',
        adset_id: null,
        name: 'Dental_W',
        owner: 'ben',
        spend: 700,
        margin: 350,
        roas: 150,
        recommendation: 'scale_40_percent',
      },
      {
        entity_type: 'campaign',
        entity_id: 'A',
        campaign_id: 'A',
        adset_id: null,
        name: 'Dental_A',
        owner: 'ben',
        spend: 700,
        margin: 70,
        roas: 110,
        recommendation: 'hold',
      },
    ]);
  });

  it('scopes a buyer to their own campaigns', async () => {
    const { body } = await get(`/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=yesterday`, tj);
    expect(body.owner).toBe('tj');
    expect(body.summary).toMatchObject({ total_spend: 100, total_revenue: 50, total_margin: -50, margin_rate: -0.5 });
    expect((await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}&owner=ben`, tj)).status).toBe(403);
  });

  it('alerts: the loser (daily loss $50) before the winner ($20 potential gain), both medium', async () => {
    // The PRD's shape: a bare array (the held-back streaks: /api/facebook/alerts/held-back).
    const { body } = await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}`);
    expect(body).toEqual([
      {
        type: 'cut_loss',
        priority: 'medium', // 5-day loss $250, not above $500
        entity_type: 'campaign',
        entity_id: 'L',
        campaign_id: 'L',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'tj',
        current_roas: 50,
        recommendation: 'pause_campaign',
        daily_loss: 50, // 250 / 5
        reason: 'ROAS <80% for 5 days, negative margin',
      },
      {
        type: 'scale_up',
        priority: 'medium', // yesterday's margin $50 < $100
        entity_type: 'campaign',
        entity_id: 'W',
        campaign_id: 'W',
        adset_id: null,
        audience_type: null,
        revenue_source: null,
        owner: 'ben',
        current_roas: 150,
        recommendation: 'increase_budget_40_percent',
        potential_margin_gain: 20, // 50 x 40%
        reason: 'ROAS >130% for 3+ days',
      },
    ]);
  });

  it('decisions: every campaign with bucket, trend, recommendation and confidence', async () => {
    const { body } = await get(`/api/facebook/decisions?as_of=${AS_OF}`);
    const brief = (body.decisions as Record<string, unknown>[]).map(
      ({ campaign_id, bucket, trend, recommendation, confidence }) => ({
        campaign_id,
        bucket,
        trend,
        recommendation,
        confidence,
      }),
    );
    // 7 days with spend and $700 spent in 7 days: high confidence for all three.
    expect(brief).toEqual([
      { campaign_id: 'A', bucket: 'average', trend: 'stable', recommendation: 'hold', confidence: 'high' },
      { campaign_id: 'L', bucket: 'loser', trend: 'stable', recommendation: 'pause', confidence: 'high' },
      { campaign_id: 'W', bucket: 'winner', trend: 'stable', recommendation: 'scale_40_percent', confidence: 'high' },
    ]);
  });

  it('launches: three launched on 2025-10-06, two broke even in 72 hours', async () => {
    const { body } = await get(`/api/facebook/metrics/launches?as_of=${AS_OF}&weeks=1`);
    expect(body).toMatchObject({
      period: '2025-W41',
      total_launched: 3,
      mature_launches: 3,
      successful_launches: 2,
      break_even_rate: 0.667,
    });
    expect(body.by_owner).toEqual([
      { owner: 'ben', launched: 2, successful: 2, avg_roas_72h: 130 }, // (150 + 110) / 2
      { owner: 'tj', launched: 1, successful: 0, avg_roas_72h: 50 },
    ]);
  });

  it('a bad parameter is a 400 naming it and the allowed values', async () => {
    const { status, body } = await get(`/api/facebook/metrics/dashboard?as_of=${AS_OF}&campaign_filter=winners`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'campaign_filter', allowed: ['all', 'active', 'scaling', 'losers'] });
    const custom = await get(`/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=custom&start=2025-10-06`);
    expect(custom).toMatchObject({ status: 400, body: { field: 'end' } });
  });

  it('GET /api/facebook/outcomes/calibration: a 400 naming the field, else the Wilson-interval report', async () => {
    expect(await get(`/api/facebook/outcomes/calibration?as_of=2025-02-30`)).toMatchObject({
      status: 400,
      body: { field: 'as_of' },
    });
    const unknown = await get(`/api/facebook/outcomes/calibration?window=30`);
    expect(unknown.status).toBe(400);
    expect((unknown.body as { field?: string }).field).toBeTruthy();
    // No outcome check in this warehouse: no band, nothing proposed.
    expect(await get(`/api/facebook/outcomes/calibration?as_of=${AS_OF}`)).toMatchObject({
      status: 200,
      body: { as_of: AS_OF, window_days: 90, interval: 'Wilson score, 95%', min_checks: 20, rows: [], proposals: [] },
    });
  });

  it('the CLI prints the same JSON as the API, from the file with the worker stopped', async () => {
    const api = await get(`/api/facebook/metrics/dashboard?as_of=${AS_OF}&date_range=7d&campaign_filter=losers`);
    const apiAlerts = await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}`);
    const request = {
      total_budget: 300,
      optimization_goal: 'max_margin',
      constraints: { min_roas: 100, max_daily_spend_per_campaign: 200, max_change_pct: 50 },
    };
    const apiPlan = await fetch(`${main.http!.url}/api/facebook/optimize/budget?as_of=${AS_OF}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    }).then((r) => r.json());
    main.worker.shutdown();
    await running;

    const cli = async (args: string[]) => {
      const run = spawnCli([...args, '--as-of', AS_OF, '--db', config.SCALEFLOW_DB], {});
      expect(await run.exited, run.output()).toBe(0);
      return JSON.parse(run.output());
    };
    expect(await cli(['dashboard', '--date-range', '7d', '--campaign-filter', 'losers'])).toEqual(api.body);
    expect(await cli(['alerts'])).toEqual(apiAlerts.body);
    const requestFile = join(inject('scratchDir'), 'optimize-request.json');
    writeFileSync(requestFile, JSON.stringify(request));
    expect(await cli(['optimize', '--request', requestFile])).toEqual(apiPlan);

    const bad = spawnCli(['dashboard', '--date-range', '90d', '--db', config.SCALEFLOW_DB], {});
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--date-range');
    expect(bad.output()).toContain('yesterday, 7d, 30d, custom');

    // Restart so afterAll's shutdown has a worker to stop.
    main = await createMainWorker(config);
    running = main.run();
  });
});
