import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../lib/config';
import { dateIn } from '../../lib/dates';
import { hourOf } from '../../lib/meta/hour';
import { Warehouse } from '../../services/warehouse/warehouse';
import { signApiToken } from '../../workers/http/jwt';
import { createMainWorker, type MainWorker } from '../../workers/worker';
import { jsonApi } from '../support/api';
import { spawnCli } from '../support/processes';
import { testConfig } from '../support/temporal';

/**
 * date_range=today over HTTP and the CLI: the hourly Meta snapshots of the current hour (the API's
 * today is the wall clock's), a Tokyo CBO campaign of ben's and a Los Angeles ad set of tj's.
 * Numbers that do not depend on the hour of the day are asserted here; the alerts' hours are in
 * test/unit/metrics/today.test.ts at fixed instants.
 */
const SECRET = 'today-test-secret-today-test-secret!!';

describe('the dashboard today, provisional, from the latest hourly sync', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;
  let tj: string;
  const hour = hourOf(Date.now());
  const previous = hourOf(Date.now() - 3_600_000);

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET, TZ: 'America/New_York' });
    const warehouse = await Warehouse.open(config.SCALEFLOW_DB);
    const tokyoDay = dateIn('Asia/Tokyo', new Date(hour));
    const laDay = dateIn('America/Los_Angeles', new Date(hour));
    for (const h of [previous, hour]) {
      const spend = h === hour ? ['120.00', '30.00'] : ['100.00', '25.00'];
      await warehouse.run(
        `INSERT INTO meta_sync_runs (snapshot_hour, finished_at) VALUES ('${h}', '${h}');
         INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend, purchase_value)
           VALUES ('${h}', 'act_71', '7100', 'Tokyo CBO', 'ACTIVE', 'USD', 400.00, true, '${tokyoDay}', ${spend[0]}, 150.00),
                  ('${h}', 'act_72', '7200', 'LA campaign', 'ACTIVE', 'USD', NULL, false, '${laDay}', ${spend[1]}, 0);
         INSERT INTO meta_adset_snapshots (snapshot_hour, account_id, meta_campaign_id, adset_id, name, status, currency, daily_budget, audience_type, report_date, spend, purchase_value)
           VALUES ('${h}', 'act_72', '7200', '72001', 'LA ad set', 'ACTIVE', 'USD', 60.00, 'broad', '${laDay}', ${spend[1]}, 45.00);`,
      );
    }
    // An unfinished hour never shows.
    const next = hourOf(Date.now() + 3_600_000);
    await warehouse.run(
      `INSERT INTO meta_sync_runs (snapshot_hour) VALUES ('${next}');
       INSERT INTO meta_campaign_snapshots (snapshot_hour, account_id, meta_campaign_id, name, status, currency, daily_budget, is_cbo, report_date, spend)
         VALUES ('${next}', 'act_71', '7100', 'Tokyo CBO', 'ACTIVE', 'USD', 400.00, true, '${tokyoDay}', 999.00);
       INSERT INTO meta_accounts (account_id, currency, time_zone, seen_hour) VALUES
         ('act_71', 'USD', 'Asia/Tokyo', '${hour}'), ('act_72', 'USD', 'America/Los_Angeles', '${hour}');
       INSERT INTO campaign_map (campaign_id, meta_campaign_id, owner, account_id) VALUES
         ('BEN1', '7100', 'ben', 'act_71'), ('TJ1', '7200', 'tj', 'act_72');`,
    );
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

  const { get } = jsonApi(
    () => main.http!.url,
    () => manager,
  );

  it('answers spend against budget, purchase value and a provisional ROAS per budget entity, in its own zone', async () => {
    const { status, body } = await get('/api/facebook/metrics/dashboard?date_range=today');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      date_range: 'today',
      as_of: dateIn('America/New_York', new Date()),
      provisional: true,
      note: expect.stringContaining('strateg.is reconciles revenue tomorrow'),
    });
    const entities = body.entities as Record<string, unknown>[];
    // The LA campaign has its budget on its ad set (no CBO): the ad set is the entity, not the campaign.
    // Tokyo: 120 of 400 = 30.0% spent, ROAS 150 / 120 x 100 = 125.0. LA ad set: 30 of 60 = 50.0%,
    // ROAS 45 / 30 x 100 = 150.0. Largest spend first.
    expect(
      entities.map((e) => [e.entity_type, e.entity_id, e.owner, e.time_zone, e.report_date, e.spend, e.daily_budget]),
    ).toEqual([
      ['campaign', '7100', 'ben', 'Asia/Tokyo', dateIn('Asia/Tokyo', new Date(hour)), '120.00', '400.00'],
      ['adset', '72001', 'tj', 'America/Los_Angeles', dateIn('America/Los_Angeles', new Date(hour)), '30.00', '60.00'],
    ]);
    expect(entities.map((e) => [e.spent_pct, e.purchase_value, e.provisional_roas, e.as_of])).toEqual([
      [30, '150.00', 125, new Date(hour).toISOString()],
      [50, '45.00', 150, new Date(hour).toISOString()],
    ]);
    // Totals: spend 120 + 30 = 150, budgets 400 + 60 = 460, value 150 + 45 = 195, ROAS 195 / 150 = 130.0.
    expect(body.totals).toEqual([
      { currency: 'USD', spend: '150.00', daily_budget: '460.00', purchase_value: '195.00', provisional_roas: 130 },
    ]);
  });

  it("keeps a buyer to their own entities, and the CLI prints the API's answer", async () => {
    const mine = await get('/api/facebook/metrics/dashboard?date_range=today&owner=all', tj);
    expect((mine.body.entities as { entity_id: string }[]).map((e) => e.entity_id)).toEqual(['72001']);
    const api = await get('/api/facebook/metrics/dashboard?date_range=today');
    main.worker.shutdown();
    await running;
    const run = spawnCli(['dashboard', '--date-range', 'today', '--db', config.SCALEFLOW_DB], {
      TZ: 'America/New_York',
    });
    expect(await run.exited, run.output()).toBe(0);
    expect(JSON.parse(run.output())).toEqual(api.body);
    main = await createMainWorker(config);
    running = main.run();
  });

  it('a bad date_range is a 400 naming it; today of another day is a 400 naming as_of', async () => {
    const bad = await get('/api/facebook/metrics/dashboard?date_range=tomorrow');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'date_range', allowed: ['today', 'yesterday', '7d', '30d', 'custom'] });
    const past = await get('/api/facebook/metrics/dashboard?date_range=today&as_of=2025-10-13');
    expect(past).toMatchObject({ status: 400, body: { field: 'as_of' } });
  });
});
