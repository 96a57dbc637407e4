import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Config } from '../../lib/config';
import type { Breakdown } from '../../lib/meta/breakdowns';
import { workflowIds } from '../../lib/names';
import { hourSlot } from '../../workers/meta-sandbox/breakdowns';
import { faults } from '../../workers/meta-sandbox/faults';
import type { MetaSandbox } from '../../workers/meta-sandbox/server';
import type { BreakdownRowSeed } from '../../workers/meta-sandbox/state';
import type { MainWorker } from '../../workers/worker';
import type { BreakdownScheduleResult, BreakdownSyncResult } from '../../workflows/breakdown-sync';
import { runCliInProcess } from '../support/cli';
import { recordHistory } from '../support/histories';
import { startWorker, testClient, testConfig, workerProcessEnv } from '../support/temporal';
import { metaEnv, sandboxAt } from './harness';

const HOUR = '2025-10-12T18:00:00Z'; // the spend sync that tells which ad sets hold their budget
const DAY = '2025-10-12';

/** A row as Meta would deliver it: keys, then spend in cents, impressions, clicks, purchases, value in cents. */
const r = (
  keys: Record<string, string>,
  spendMinor: number,
  impressions: number,
  clicks: number,
  purchases = 0,
  purchaseValueMinor = 0,
): BreakdownRowSeed => ({
  keys,
  spendMinor,
  impressions,
  clicks,
  purchases,
  purchaseValueMinor,
});
const ag = (age: string, gender: string) => ({ age, gender });
const pl = (publisher_platform: string, platform_position: string, impression_device: string) => ({
  publisher_platform,
  platform_position,
  impression_device,
});
const hr = (h: number) => ({ hourly_stats_aggregated_by_advertiser_time_zone: hourSlot(h) });

/**
 * act_21 (Los Angeles): CBO campaign 900 (ad sets A and B, the campaign holds the budget) and
 * ad-set-budget campaign 901 (C and D hold theirs). A, B and C have exact rows by every breakdown;
 * D has none but by country, which the sandbox splits from D's delivery over its targeting's two
 * countries (weights 1:1). act_22 (Tokyo) has one campaign, for the schedule's day boundaries.
 */
function seed(sandbox: MetaSandbox) {
  const { state } = sandbox;
  state.addAccount('act_21', { timezone: 'America/Los_Angeles' });
  state.addAccount('act_22', { timezone: 'Asia/Tokyo' });
  const none = { spendMinor: 0, impressions: 0 };
  const cbo = state.addCampaign(
    'act_21',
    {
      cbo: true,
      dailyBudget: 20000,
      adsets: [
        { name: 'A', delivery: none },
        { name: 'B', delivery: none },
      ],
    },
    '900',
  );
  const abo = state.addCampaign(
    'act_21',
    {
      cbo: false,
      adsets: [
        { name: 'C', dailyBudget: 5000, delivery: none },
        {
          name: 'D',
          dailyBudget: 3000,
          targeting: { geo_locations: { countries: ['US', 'CA'] } },
          delivery: { spendMinor: 1000, impressions: 100, clicks: 10, purchases: 2, purchaseValueMinor: 2000 },
        },
      ],
    },
    '901',
  );
  state.addCampaign('act_22', { dailyBudget: 1000, spendMinor: 700, impressions: 70, clicks: 7 }, '950');
  const [a, b] = cbo.adsets;
  const [c, d] = abo.adsets;
  const set = (id: string, rows: Partial<Record<Breakdown, BreakdownRowSeed[]>>) => {
    for (const [breakdown, list] of Object.entries(rows)) state.setBreakdown(id, breakdown as Breakdown, list);
  };
  set(a!.id, {
    age_gender: [r(ag('25-34', 'female'), 1000, 100, 5, 1, 3000)],
    placement: [r(pl('facebook', 'feed', 'iphone'), 1000, 100, 5, 1, 3000)],
    country: [r({ country: 'US' }, 1000, 100, 5, 1, 3000)],
    region: [r({ region: 'California' }, 1000, 100, 5, 1, 3000)],
    hour: [r(hr(13), 1000, 100, 5, 1, 3000)],
  });
  set(b!.id, {
    age_gender: [r(ag('25-34', 'female'), 250, 20, 1, 1, 1000), r(ag('35-44', 'male'), 500, 50, 1)],
    placement: [
      r(pl('facebook', 'feed', 'iphone'), 250, 20, 1, 1, 1000),
      r(pl('instagram', 'story', 'iphone'), 500, 50, 1),
    ],
    country: [r({ country: 'US' }, 750, 70, 2, 1, 1000)],
    region: [r({ region: 'California' }, 250, 20, 1, 1, 1000), r({ region: 'Texas' }, 500, 50, 1)],
    hour: [r(hr(0), 250, 20, 1, 1, 1000), r(hr(23), 500, 50, 1)],
  });
  set(c!.id, {
    age_gender: [r(ag('18-24', 'male'), 4000, 400, 8, 2, 2500), r(ag('65+', 'female'), 2000, 300, 3, 2, 9000)],
    placement: [
      r(pl('facebook', 'feed', 'android_smartphone'), 4000, 400, 8, 2, 2500),
      r(pl('instagram', 'reels', 'android_smartphone'), 2000, 300, 3, 2, 9000),
    ],
    country: [r({ country: 'US' }, 6000, 700, 11, 4, 11500)],
    region: [r({ region: 'Texas' }, 6000, 700, 11, 4, 11500)],
    hour: [r(hr(13), 1500, 200, 3, 1, 500), r(hr(19), 4500, 500, 8, 3, 11000)],
  });
  set(d!.id, { age_gender: [], placement: [], region: [], hour: [] });
  return { c: c!.id, d: d!.id, b: b!.id };
}

const METRICS = `spend::VARCHAR AS spend, impressions::INTEGER AS impressions, clicks::INTEGER AS clicks,
  purchases::INTEGER AS purchases, purchase_value::VARCHAR AS purchase_value`;
const tableSql = (table: string, keys: string, order = keys) =>
  `SELECT day::VARCHAR AS day, account_id, entity_type, entity_id, meta_campaign_id, ${keys}, ${METRICS}
   FROM meta_breakdown_${table} ORDER BY meta_campaign_id, entity_id, ${order}`;
const SQL = {
  age_gender: tableSql('age_gender', 'age, gender'),
  placement: tableSql('placement', 'publisher_platform, platform_position, impression_device'),
  country: tableSql('country', 'country'),
  region: tableSql('region', 'region'),
  hour: tableSql('hour', 'hour::INTEGER AS hour', 'hour'),
};

/** Money strings as the warehouse returns DECIMAL(18, 2). */
const m = (spend: string, impressions: number, clicks: number, purchases: number, purchase_value: string) => ({
  spend,
  impressions,
  clicks,
  purchases,
  purchase_value,
});

describe('breakdownSync: an account day by five Meta breakdowns, on the real dev server with a real worker', () => {
  let sandbox: MetaSandbox;
  let config: Config;
  let client: Client;
  let worker: { main: MainWorker; stop(): Promise<void> };
  let ids: ReturnType<typeof seed>;

  beforeAll(async () => {
    ({ sandbox } = await sandboxAt(HOUR));
    ids = seed(sandbox);
    config = testConfig(metaEnv(sandbox, ['act_21', 'act_22'], { META_PAGE_SIZE: '2' }));
    client = await testClient(config);
    worker = await startWorker(config);
    await client.workflow.execute('spendSync', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${workflowIds.spendSync(HOUR)}/${config.TEMPORAL_TASK_QUEUE}`,
      args: [{ hour: HOUR }],
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await sandbox?.close();
  });

  const sync = (date = DAY, account = 'act_21') =>
    client.workflow.execute('breakdownSync', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: workflowIds.breakdownSync(account, date),
      args: [{ account, date }],
    }) as Promise<BreakdownSyncResult>;

  it('stores exact rows per table at the budget level, hours on their hour, pages of 2 read once each though one failed', async () => {
    // The second page of the hour breakdown fails once with a 500; Temporal asks for that page again.
    sandbox.faults.add(
      (q) =>
        q.path === '/act_21/insights' &&
        q.query.breakdowns === 'hourly_stats_aggregated_by_advertiser_time_zone' &&
        q.query.after !== undefined,
      faults.serverError(500),
    );
    const result = await sync();
    // level=adset rows Meta gives: age_gender A1 + B2 + C2 = 5 (pages of 2: 3); placement 5 (3);
    // country A1 + B1 + C1 + D2 = 5 (3); region A1 + B2 + C1 = 4 (2); hour A1 + B2 + C2 = 5 (3).
    expect(result).toEqual({
      account: 'act_21',
      date: DAY,
      timeZone: 'America/Los_Angeles',
      pages: { age_gender: 3, placement: 3, country: 3, region: 2, hour: 3 },
      rows: { age_gender: 5, placement: 5, country: 5, region: 4, hour: 5 },
    });
    const hourPages = sandbox.log.filter((q) => q.query.breakdowns?.startsWith('hourly'));
    expect(hourPages.map((q) => [q.query.after ?? 'first', q.status])).toEqual([
      ['first', 200],
      [hourPages[1]!.query.after, 500],
      [hourPages[1]!.query.after, 200],
      [hourPages[3]!.query.after, 200],
    ]);
    expect(hourPages[1]!.query.level).toBe('adset');
    expect(JSON.parse(hourPages[1]!.query.time_range!)).toEqual({ since: DAY, until: DAY });

    const w = worker.main.warehouse;
    const at = (entity_type: string, entity_id: string, meta_campaign_id: string) => ({
      day: DAY,
      account_id: 'act_21',
      entity_type,
      entity_id,
      meta_campaign_id,
    });
    // CBO 900: A and B summed into the campaign. 25-34 female: A 10.00 + B 2.50 = 12.50 spend,
    // 100 + 20 impressions, 5 + 1 clicks, 1 + 1 purchases, 30.00 + 10.00 value.
    const cbo = at('campaign', '900', '900');
    const c = at('adset', ids.c, '901');
    const d = at('adset', ids.d, '901');
    expect(await w.all(SQL.age_gender)).toEqual([
      { ...cbo, age: '25-34', gender: 'female', ...m('12.50', 120, 6, 2, '40.00') },
      { ...cbo, age: '35-44', gender: 'male', ...m('5.00', 50, 1, 0, '0.00') },
      { ...c, age: '18-24', gender: 'male', ...m('40.00', 400, 8, 2, '25.00') },
      { ...c, age: '65+', gender: 'female', ...m('20.00', 300, 3, 2, '90.00') },
    ]);
    expect(await w.all(SQL.placement)).toEqual([
      { ...cbo, ...pl('facebook', 'feed', 'iphone'), ...m('12.50', 120, 6, 2, '40.00') },
      { ...cbo, ...pl('instagram', 'story', 'iphone'), ...m('5.00', 50, 1, 0, '0.00') },
      { ...c, ...pl('facebook', 'feed', 'android_smartphone'), ...m('40.00', 400, 8, 2, '25.00') },
      { ...c, ...pl('instagram', 'reels', 'android_smartphone'), ...m('20.00', 300, 3, 2, '90.00') },
    ]);
    // Country: 900 US = A 10.00 + B 7.50 = 17.50, 170 impressions, 7 clicks, 2 purchases, 40.00.
    // D split 1:1 over CA and US: 1000 cents -> 500 each, 100 impressions -> 50, 10 clicks -> 5,
    // 2 purchases -> 1, 2000 cents of value -> 1000.
    expect(await w.all(SQL.country)).toEqual([
      { ...cbo, country: 'US', ...m('17.50', 170, 7, 2, '40.00') },
      { ...c, country: 'US', ...m('60.00', 700, 11, 4, '115.00') },
      { ...d, country: 'CA', ...m('5.00', 50, 5, 1, '10.00') },
      { ...d, country: 'US', ...m('5.00', 50, 5, 1, '10.00') },
    ]);
    expect(await w.all(SQL.region)).toEqual([
      { ...cbo, region: 'California', ...m('12.50', 120, 6, 2, '40.00') },
      { ...cbo, region: 'Texas', ...m('5.00', 50, 1, 0, '0.00') },
      { ...c, region: 'Texas', ...m('60.00', 700, 11, 4, '115.00') },
    ]);
    // '00:00:00 - 00:59:59' is hour 0, '13:00:00 - 13:59:59' hour 13, '23:00:00 - 23:59:59' hour 23.
    expect(await w.all(SQL.hour)).toEqual([
      { ...cbo, hour: 0, ...m('2.50', 20, 1, 1, '10.00') },
      { ...cbo, hour: 13, ...m('10.00', 100, 5, 1, '30.00') },
      { ...cbo, hour: 23, ...m('5.00', 50, 1, 0, '0.00') },
      { ...c, hour: 13, ...m('15.00', 200, 3, 1, '5.00') },
      { ...c, hour: 19, ...m('45.00', 500, 8, 3, '110.00') },
    ]);
    expect(
      await w.all(
        "SELECT day::VARCHAR AS day, account_id, time_zone FROM meta_breakdown_runs WHERE account_id = 'act_21'",
      ),
    ).toEqual([{ day: DAY, account_id: 'act_21', time_zone: 'America/Los_Angeles' }]);
    await recordHistory(
      client.workflow.getHandle(workflowIds.breakdownSync('act_21', DAY)),
      'breakdown-sync-account-day',
    );
  }, 120_000);

  it('a re-read of the day replaces it: changed rows changed, gone rows gone, nothing twice', async () => {
    sandbox.state.setBreakdown(ids.c, 'placement', [
      r(pl('facebook', 'feed', 'android_smartphone'), 3000, 300, 6, 1, 4000),
    ]);
    sandbox.state.setBreakdown(ids.b, 'placement', [r(pl('facebook', 'feed', 'iphone'), 250, 20, 1, 1, 1000)]);
    const before = await worker.main.warehouse.all(SQL.hour);
    // The manual trigger: `scaleflow run breakdownSync --account act_21 --date 2025-10-12`.
    const cli = await runCliInProcess(
      ['run', 'breakdownSync', '--account', 'act_21', '--date', DAY],
      workerProcessEnv(config),
    );
    expect(cli.code).toBe(0);
    const started = JSON.parse(cli.stdout) as { workflowId: string; existing: boolean };
    expect(started).toMatchObject({ workflowId: 'breakdown-sync/act_21/2025-10-12', existing: false });
    await client.workflow.getHandle(started.workflowId).result();

    const cbo = { day: DAY, account_id: 'act_21', entity_type: 'campaign', entity_id: '900', meta_campaign_id: '900' };
    const c = { day: DAY, account_id: 'act_21', entity_type: 'adset', entity_id: ids.c, meta_campaign_id: '901' };
    // 900 facebook/feed/iphone: A 10.00 + B 2.50 as before; B's instagram story row is gone, and so
    // is C's reels row; C's feed row is the new one (30.00, 300, 6, 1, 40.00).
    expect(await worker.main.warehouse.all(SQL.placement)).toEqual([
      { ...cbo, ...pl('facebook', 'feed', 'iphone'), ...m('12.50', 120, 6, 2, '40.00') },
      { ...c, ...pl('facebook', 'feed', 'android_smartphone'), ...m('30.00', 300, 6, 1, '40.00') },
    ]);
    expect(await worker.main.warehouse.all(SQL.hour)).toEqual(before);
    expect(
      await worker.main.warehouse.all(
        "SELECT count(*)::INTEGER AS n FROM meta_breakdown_runs WHERE account_id = 'act_21'",
      ),
    ).toEqual([{ n: 1 }]);
  }, 120_000);

  it('a bad account or date on the command line exits 2 naming the flag; a day not yet closed fails the run', async () => {
    const env = workerProcessEnv(config);
    const badAccount = await runCliInProcess(['run', 'breakdownSync', '--account', '21', '--date', DAY], env);
    expect(badAccount.code).toBe(2);
    expect(badAccount.stderr).toContain('--account');
    const badDate = await runCliInProcess(['run', 'breakdownSync', '--account', 'act_21', '--date', '2025-02-30'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--date');
    await expect(sync('2999-01-01')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('has not closed yet in act_21') },
    });
  }, 60_000);

  it("the hourly run starts each account's own yesterday once: Los Angeles and Tokyo on different days", async () => {
    const hourly = (at: string, suffix: string) =>
      client.workflow.execute('breakdownSyncHourly', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: `breakdown-sync-hourly/${config.TEMPORAL_TASK_QUEUE}/${suffix}`,
        args: [{ at }],
      }) as Promise<BreakdownScheduleResult>;
    // 2025-10-14T06:30Z is 23:30 on the 13th in Los Angeles (UTC-7 in October: yesterday the 12th,
    // recorded above, so not due) and 15:30 on the 14th in Tokyo (UTC+9: yesterday the 13th).
    expect(await hourly('2025-10-14T06:30:00Z', 'a')).toEqual({
      started: ['breakdown-sync/act_22/2025-10-13'],
      running: [],
      failed: [],
    });
    // An hour later it is 00:30 on the 14th in Los Angeles: its 13th has closed; Tokyo's 13th is recorded.
    expect(await hourly('2025-10-14T07:30:00Z', 'b')).toEqual({
      started: ['breakdown-sync/act_21/2025-10-13'],
      running: [],
      failed: [],
    });
    expect(await hourly('2025-10-14T08:30:00Z', 'c')).toEqual({ started: [], running: [], failed: [] });
    await recordHistory(
      client.workflow.getHandle(`breakdown-sync-hourly/${config.TEMPORAL_TASK_QUEUE}/a`),
      'breakdown-sync-hourly-starts-due-day',
    );
    const runs = await worker.main.warehouse.all(
      'SELECT account_id, day::VARCHAR AS day, time_zone FROM meta_breakdown_runs ORDER BY account_id, day',
    );
    expect(runs).toEqual([
      { account_id: 'act_21', day: '2025-10-12', time_zone: 'America/Los_Angeles' },
      { account_id: 'act_21', day: '2025-10-13', time_zone: 'America/Los_Angeles' },
      { account_id: 'act_22', day: '2025-10-13', time_zone: 'Asia/Tokyo' },
    ]);
    // Tokyo's campaign 950 (CBO, its one ad set delivering the campaign's 700 cents) on hour 13 by the
    // sandbox's split: 24 hours weighted nights 1 (x8), day 3 (x10), evening 4 (x4), late 2 (x2):
    // 8 + 30 + 16 + 4 = 58; hour 13: floor(700 x 3 / 58) = floor(36.2) = 36 cents.
    expect(
      await worker.main.warehouse.all(
        "SELECT entity_type, entity_id, spend::VARCHAR AS spend FROM meta_breakdown_hour WHERE account_id = 'act_22' AND hour = 13",
      ),
    ).toEqual([{ entity_type: 'campaign', entity_id: '950', spend: '0.36' }]);
  }, 120_000);
});
