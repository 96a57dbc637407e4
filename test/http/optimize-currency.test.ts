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
 * The budget optimiser and currencies (issue 22 item 3). Seven days (2025-10-06..12) of three
 * campaigns, each strateg.is spend $100 and revenue $150 a day (strateg.is money is dollars):
 *   W (ben) on a USD account, Meta budget $100;
 *   N (ben) never synced from Meta: it starts from its mean spend, $100, in dollars;
 *   Y (yuki) on a JPY account, Meta budget ¥30,000, which has no dollar value without a rate.
 * W and N alone, by hand (METRICS.md "Budget optimisation", lib/optimizer/curve.ts): one spend level,
 * so b = 0.75 (the prior) and a = 150 / 100^0.75 = 150 / 31.6228 = 4.743416. The campaign has only
 * ever spent $100, so the plan moves one exploration step of 20% (inside max_change_pct 50):
 * 100 -> 120; revenue at 120 = 4.743416 x 120^0.75 = 4.743416 x 36.2565 = 171.98, roas 143.3,
 * margin 51.98 against 50.00 at 100: gain 1.98. 120 + 120 = 240 <= total_budget 300.
 */
const AS_OF = '2025-10-13';
const SECRET = 'optimize-currency-secret-optimize-currency!';
const HOUR = '2025-10-13 14:00:00+00';
const rows: MetricRow[] = datesBetween('2025-10-06', '2025-10-12').flatMap((date) =>
  [
    ['W', 'ben'],
    ['N', 'ben'],
    ['Y', 'yuki'],
  ].map(([id, owner]) => ({
    date,
    campaign_id: id!,
    campaign_name: `Campaign_${id}`,
    owner: owner!,
    category: 'Dental',
    spend: '100.00',
    revenue: '150.00',
  })),
);
const body = {
  total_budget: 300,
  optimization_goal: 'max_margin',
  constraints: { min_roas: 100, max_daily_spend_per_campaign: 200, max_change_pct: 50 },
};

describe('the budget optimiser plans one currency', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET });
    const w = await metricsWarehouse(config.SCALEFLOW_DB, rows);
    await w.connection.run(`INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, category, account_id)
      VALUES ('W', 'm-w', 'ben', 'Dental', 'act_82'), ('Y', 'm-y', 'yuki', 'Dental', 'act_81')`);
    await w.connection.run(`INSERT INTO meta_accounts (account_id, currency, time_zone, seen_hour)
      VALUES ('act_82', 'USD', 'America/Los_Angeles', '${HOUR}'), ('act_81', 'JPY', 'Asia/Tokyo', '${HOUR}')`);
    await w.connection.run(`INSERT INTO meta_campaign_snapshots
      (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
      VALUES ('${HOUR}', 'act_82', 'm-w', 'Campaign_W', 'ACTIVE', 'USD', 100, true, '${AS_OF}', 0),
             ('${HOUR}', 'act_81', 'm-y', 'Campaign_Y', 'ACTIVE', 'JPY', 30000, true, '${AS_OF}', 0)`);
    await w.connection.run(
      `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ('${HOUR}', '2025-10-13 14:05:00+00')`,
    );
    w.close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    main.worker.shutdown();
    await running;
  };
  afterAll(stop);

  const api = jsonApi(
    () => main.http!.url,
    () => manager,
  );
  const optimize = (payload: unknown, owner = 'all') =>
    api.post(`/api/facebook/optimize/budget?as_of=${AS_OF}&owner=${owner}&level=campaign`, payload);

  it('refuses a scope over dollars and yen without "currency", naming the field and the campaigns', async () => {
    const { status, body: answer } = await optimize(body);
    expect(status).toBe(400);
    expect(answer).toMatchObject({
      error: 'invalid_request',
      field: 'currency',
      other_currencies: [{ entity_type: 'campaign', entity_id: 'Y', campaign_id: 'Y', currency: 'JPY' }],
    });
    expect(String(answer.message)).toContain('JPY (Y)');
  });

  it('with "currency": "USD" plans the dollar campaigns alone and lists the yen one', async () => {
    const { status, body: answer } = await optimize({ ...body, currency: 'USD' });
    expect(status).toBe(200);
    expect(answer).toMatchObject({
      currency: 'USD',
      other_currencies: [{ entity_type: 'campaign', entity_id: 'Y', campaign_id: 'Y', currency: 'JPY' }],
      expected_total_spend: 240,
    });
    const recs = answer.recommendations as Array<Record<string, unknown>>;
    expect(recs.map((r) => [r.campaign_id, r.current_budget, r.current_budget_source, r.recommended_budget])).toEqual([
      ['N', 100, 'mean_spend_7d', 120],
      ['W', 100, 'meta', 120],
    ]);
    expect(recs[0]).toMatchObject({ expected_margin_gain: 1.98, expected_roas: 143.3 });
  });

  it('a scope in dollars alone needs no "currency"; any other currency is a 400 naming it', async () => {
    const ben = await optimize(body, 'ben');
    expect(ben.status).toBe(200);
    expect(ben.body).toMatchObject({ currency: 'USD', other_currencies: [], expected_total_spend: 240 });
    const yen = await optimize({ ...body, currency: 'JPY' });
    expect(yen.status).toBe(400);
    expect(yen.body).toMatchObject({ field: 'currency' });
    expect(String(yen.body.message)).toContain('only USD');
  });

  it('the CLI refuses the same request with exit 2 naming the field', async () => {
    // The CLI opens the warehouse itself, so the worker lets go of it first.
    await stop();
    const file = join(inject('scratchDir'), 'optimize-currency.json');
    writeFileSync(file, JSON.stringify(body));
    const run = spawnCli(['optimize', '--request', file, '--as-of', AS_OF, '--db', config.SCALEFLOW_DB], {});
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--request: field "currency"');
  });
});
