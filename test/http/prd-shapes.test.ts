import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Config } from '../../lib/config';
import { signApiToken } from '../../workers/http/jwt';
import { createMainWorker, type MainWorker } from '../../workers/worker';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { spawnCli } from '../support/processes';
import { testConfig } from '../support/temporal';
import { jsonApi } from '../support/api';

/**
 * A client written against the PRD (seed 000): its example bodies and shapes, over HTTP on a real
 * worker and DuckDB file, and the same answers from the CLI. Seven days 2025-10-06..12 at $100
 * spend a day, as_of 2025-10-13, MAX_CHANGE_PCT=20 (not the default 50, so a default taken from
 * anywhere else shows):
 *   W (ben) revenue $150/day: a stable winner. Synced: Meta's live daily budget $120.00.
 *   D (ben) revenue 180, 175, 170, 165, 150, 140, 135: a winner in decline. Never synced.
 *   P (tj)  revenue $110/day. Synced: PAUSED on Meta (its daily budget $50.00 spends nothing).
 *   T (tj)  revenue $110/day. Synced, but under a lifetime budget: no daily budget to start from.
 */
const AS_OF = '2025-10-13';
const SECRET = 'prd-shapes-test-secret-prd-shapes-test!';
const DATES = ['2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'];
const DECLINE = [180, 175, 170, 165, 150, 140, 135];
const rows: MetricRow[] = DATES.flatMap((date, i) => [
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
    campaign_id: 'D',
    campaign_name: 'Dental_D',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: `${DECLINE[i]}.00`,
  },
  {
    date,
    campaign_id: 'P',
    campaign_name: 'Solar_P',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '110.00',
  },
  {
    date,
    campaign_id: 'T',
    campaign_name: 'Solar_T',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '110.00',
  },
]);
/** The PRD's request body, exactly as written there (no max_change_pct). */
const PRD_BODY = {
  total_budget: 12000,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 80, max_daily_spend_per_campaign: 1000 },
};

describe("the PRD's request bodies and response shapes", () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;
  let tj: string;

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET, MAX_CHANGE_PCT: '20' });
    const warehouse = await metricsWarehouse(config.SCALEFLOW_DB, rows);
    // Two completed syncs on 2025-10-13 (after the day began, so no cooldown for today's alerts)
    // and a third still running: the last completed one (09:00Z) is Meta's live state.
    await warehouse.run(
      `INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES ('W', 'm-W', 'ben', 'act_1'), ('P', 'm-P', 'tj', 'act_1'), ('T', 'm-T', 'tj', 'act_1')`,
    );
    await warehouse.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES
         ('2025-10-13 08:00:00+00', '2025-10-13 08:05:00+00'), ('2025-10-13 09:00:00+00', '2025-10-13 09:05:00+00'), ('2025-10-13 10:00:00+00', NULL)`,
    );
    for (const [hour, w] of [
      ['2025-10-13 08:00:00+00', '100.00'],
      ['2025-10-13 09:00:00+00', '120.00'],
      ['2025-10-13 10:00:00+00', '999.00'],
    ] as const) {
      await warehouse.run(
        `INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, lifetime_budget, is_cbo, report_date)
         VALUES ($1::TIMESTAMPTZ, 'act_1', 'm-W', 'Meta W', 'ACTIVE', 'USD', $2::DECIMAL(18, 2), NULL, true, '2025-10-13'),
                ($1::TIMESTAMPTZ, 'act_1', 'm-P', 'Meta P', 'PAUSED', 'USD', 50.00, NULL, true, '2025-10-13'),
                ($1::TIMESTAMPTZ, 'act_1', 'm-T', 'Meta T', 'ACTIVE', 'USD', NULL, 5000.00, true, '2025-10-13')`,
        [hour, w],
      );
    }
    warehouse.close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
    tj = await signApiToken(SECRET, { sub: 'tj@example.com', role: 'buyer', owner: 'tj' });
  });
  afterAll(async () => {
    main.worker.shutdown();
    await running;
  });

  const { get, post } = jsonApi(
    () => main.http!.url,
    () => manager,
  );

  it('alerts/scaling answers the bare array of alerts; the held-back streaks have their own endpoint', async () => {
    const alerts = await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}`);
    expect(alerts.status).toBe(200);
    expect(alerts.body).toEqual([
      {
        type: 'scale_up',
        priority: 'medium', // yesterday's margin $50 < $100
        campaign_id: 'W',
        // W has a campaign budget: decided at campaign level, so no ad set (METRICS.md "Levels")
        entity_type: 'campaign',
        entity_id: 'W',
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
    // D: 1d roas 135.0 < 3d 425/3 = 141.7 < 7d 1115/7 = 159.3, declining -> hold, so its streak
    // (150, 140, 135 > 130) is held back: margin yesterday $35, medium, gain 35 x 40% = 14.00.
    const held = await get(`/api/facebook/alerts/held-back?as_of=${AS_OF}`);
    expect(held).toEqual({
      status: 200,
      body: [
        {
          type: 'scale_up',
          priority: 'medium',
          campaign_id: 'D',
          entity_type: 'campaign',
          entity_id: 'D',
          adset_id: null,
          audience_type: null,
          revenue_source: null,
          owner: 'ben',
          current_roas: 135,
          recommendation: 'increase_budget_40_percent',
          potential_margin_gain: 14,
          reason: 'ROAS >130% for 3+ days',
          held_back_by: 'hold',
        },
      ],
    });
    // Same auth and scoping: a buyer sees their own (none held back for tj), never another owner's.
    expect(await get(`/api/facebook/alerts/held-back?as_of=${AS_OF}`, tj)).toEqual({ status: 200, body: [] });
    expect((await get(`/api/facebook/alerts/held-back?as_of=${AS_OF}&owner=ben`, tj)).status).toBe(403);
    expect((await fetch(`${main.http!.url}/api/facebook/alerts/held-back`)).status).toBe(401);
    expect(await get(`/api/facebook/alerts/held-back?as_of=2025-13-01`)).toMatchObject({
      status: 400,
      body: { field: 'as_of' },
    });
  });

  it("optimize/budget takes the PRD's body as written; current budgets are Meta's where synced", async () => {
    const { status, body } = await post(`/api/facebook/optimize/budget?as_of=${AS_OF}`, PRD_BODY);
    expect(status).toBe(200);
    // max_change_pct was not sent: MAX_CHANGE_PCT (20) is what the plan kept.
    expect(body.constraints).toEqual({ min_roas: 80, max_daily_spend_per_campaign: 1000, max_change_pct: 20 });
    const brief = (body.recommendations as Record<string, unknown>[]).map(({ curve: _curve, ...rest }) => rest);
    expect(brief).toEqual([
      {
        // b = 0.75 (one spend level), a = 1115 / (7 x 100^0.75) = 5.037057. Never synced: current =
        // 700 / 7 = 100. Window 100 -/+ 20% = [80, 120]; margin peaks at (0.75 a)^4 = 203.68, so 120.
        // margin(120) = 5.037057 x 120^0.75 - 120 = 182.63 - 120 = 62.63; margin(100) = 159.29 - 100
        // = 59.29; gain 3.34; roas 182.63 / 120 = 152.2%.
        entity_type: 'campaign',
        entity_id: 'D',
        campaign_id: 'D',
        adset_id: null,
        current_budget: 100,
        current_budget_source: 'mean_spend_7d',
        recommended_budget: 120,
        expected_margin_gain: 3.34,
        // 7 days -> 0.4; fit_error 0.1027 -> 0.918; one spend level: spread 0 -> 0; the least
        confidence: 0,
        confidence_label: 'low',
        reason: 'at_max_change',
        explanation: 'moved as far as max_change_pct (20%) allows from $100.00',
        expected_roas: 152.2,
        expected_margin: 62.63,
      },
      {
        // Synced under a lifetime budget: no daily budget, so the 7-day mean spend, 100. a = 110 /
        // 100^0.75 = 3.478505; margin peaks at (0.75 a)^4 = 46.33, below the window [80, 120], so 80.
        // margin(80) = 3.478505 x 80^0.75 - 80 = 93.05 - 80 = 13.05; margin(100) = 110 - 100 = 10;
        // gain 3.05; roas 93.05 / 80 = 116.3%.
        entity_type: 'campaign',
        entity_id: 'T',
        campaign_id: 'T',
        adset_id: null,
        current_budget: 100,
        current_budget_source: 'mean_spend_7d',
        recommended_budget: 80,
        expected_margin_gain: 3.05,
        confidence: 0, // one spend level: the slope is the prior's
        confidence_label: 'low',
        reason: 'at_max_change',
        explanation: 'moved as far as max_change_pct (20%) allows from $100.00',
        expected_roas: 116.3,
        expected_margin: 13.05,
      },
      {
        // Paused on Meta: its current budget is 0 and the plan does not restart it. (Gain 0 like W's: by id.)
        entity_type: 'campaign',
        entity_id: 'P',
        campaign_id: 'P',
        adset_id: null,
        current_budget: 0,
        current_budget_source: 'meta',
        recommended_budget: 0,
        expected_margin_gain: 0,
        confidence: 0,
        confidence_label: 'low',
        reason: 'paused',
        explanation: 'paused (current budget $0.00): the plan does not restart paused campaigns',
        expected_roas: null,
        expected_margin: 0,
      },
      {
        // a = 150 / 100^0.75 = 4.743416. Meta's live budget at the last completed sync: 120 (not
        // the 7-day mean spend of 100, nor the unfinished hour's 999). Window [96, 144]; the peak
        // (160.18) is beyond it, and so is 144: it has only spent 100, so 100 + 20% = 120 (today's
        // budget, which the plan may always keep). margin(120) = 171.98 - 120 = 51.98; gain 0;
        // roas 171.98 / 120 = 143.3%.
        entity_type: 'campaign',
        entity_id: 'W',
        campaign_id: 'W',
        adset_id: null,
        current_budget: 120,
        current_budget_source: 'meta',
        recommended_budget: 120,
        expected_margin_gain: 0,
        confidence: 0, // 7 days, exact fit, one spend level
        confidence_label: 'low',
        reason: 'at_spend_range',
        explanation:
          'held within 20% of the daily spends it has shown ($100.00 to $100.00): past them the curve is a guess',
        expected_roas: 143.3,
        expected_margin: 51.98,
      },
    ]);
    // 120 + 80 + 120; margin in cents 6262.61 + 1304.87 + 5197.97 = 12765.45
    expect(body).toMatchObject({ expected_total_spend: 320, expected_total_margin: 127.65 });
    // A bad constraint is still a 400 naming it.
    const bad = await post(`/api/facebook/optimize/budget?as_of=${AS_OF}`, {
      ...PRD_BODY,
      constraints: { ...PRD_BODY.constraints, max_change_pct: -1 },
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'constraints.max_change_pct' } });
  });

  it('the CLI answers the same: alerts, alerts --held-back, and optimize --request with the PRD body', async () => {
    const api = {
      alerts: (await get(`/api/facebook/alerts/scaling?as_of=${AS_OF}`)).body,
      held: (await get(`/api/facebook/alerts/held-back?as_of=${AS_OF}`)).body,
      plan: (await post(`/api/facebook/optimize/budget?as_of=${AS_OF}`, PRD_BODY)).body,
    };
    main.worker.shutdown();
    await running;

    const cli = async (args: string[]) => {
      const run = spawnCli([...args, '--as-of', AS_OF, '--db', config.SCALEFLOW_DB], { MAX_CHANGE_PCT: '20' });
      expect(await run.exited, run.output()).toBe(0);
      return JSON.parse(run.output());
    };
    expect(await cli(['alerts'])).toEqual(api.alerts);
    expect(await cli(['alerts', '--held-back'])).toEqual(api.held);
    const requestFile = join(inject('scratchDir'), 'prd-optimize-request.json');
    writeFileSync(requestFile, JSON.stringify(PRD_BODY));
    expect(await cli(['optimize', '--request', requestFile])).toEqual(api.plan);

    // Restart so afterAll's shutdown has a worker to stop.
    main = await createMainWorker(config);
    running = main.run();
  });
});
