import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { freshWarehouse, load, scratch } from './support';

// Each campaign's first spend day is kept by the loader (campaign_launches, migration 026) for the
// campaigns a load touches; launches and the engine's launch dates read it instead of grouping the
// whole fact history per request. Held equal to the whole-history queries after a restatement that
// takes a first day's spend away and one that adds an earlier spend day.
const HEADER = 'date,campaign_id,campaign_name,owner,level,adset_id,adset_name,spend,revenue,clicks';
// a spends from 10-10; b spends nothing on 10-11 and launches 10-12; c never spends.
const DAY1 = [
  '2025-10-10,a,Dental_FB_A,ben,adset,a1,Men,10.00,12.00,3',
  '2025-10-11,a,Dental_FB_A,ben,adset,a1,Men,8.00,9.00,1',
  '2025-10-11,b,Solar_FB_B,ana,campaign,,,0.00,0.00,0',
  '2025-10-12,b,Solar_FB_B,ana,campaign,,,7.00,7.70,2',
  '2025-10-11,c,Pets_FB_C,ben,campaign,,,0.00,0.00,0',
];
// a's 10-10 restated to no spend (its launch moves to 10-11); b gains an earlier spend day (10-09);
// c spends on 10-12 for the first time.
const DAY2 = [
  '2025-10-10,a,Dental_FB_A,ben,adset,a1,Men,0.00,0.00,0',
  '2025-10-09,b,Solar_FB_B,ana,campaign,,,3.00,2.00,1',
  '2025-10-12,c,Pets_FB_C,ben,campaign,,,5.00,9.00,1',
];
const HISTORY_LAUNCHES = readFileSync(join(import.meta.dirname, 'sql', 'launches_from_history.sql'), 'utf8');
// The engine's launch dates as they were read before: the whole fact history up to the day.
const HISTORY_DATES = `SELECT campaign_id, min(date)::VARCHAR AS launch_date FROM campaign_daily_facts
  WHERE spend > 0 AND date <= $1::DATE GROUP BY campaign_id`;

let warehouse: Warehouse;
let dir: string;
beforeAll(async () => {
  warehouse = await freshWarehouse();
  dir = scratch();
});
afterAll(() => warehouse.close());

async function loadLines(name: string, lines: string[]) {
  const path = join(dir, name);
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  await load(warehouse, path, { asOf: '2025-10-13' });
}
const kept = () =>
  warehouse.all('SELECT campaign_id, launch_date::VARCHAR AS launch_date FROM campaign_launches ORDER BY campaign_id');
const sorted = <T extends { campaign_id: string }>(rows: T[]) =>
  [...rows].sort((x, y) => x.campaign_id.localeCompare(y.campaign_id));

/** The kept path and the whole-history path give the same rows, for days and windows around the launches. */
async function expectSameAsHistory() {
  for (const day of ['2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12', '2025-10-13'])
    expect(sorted(await warehouse.all<{ campaign_id: string }>(sqlFile('metrics/launch_dates'), [day]))).toEqual(
      sorted(await warehouse.all<{ campaign_id: string }>(HISTORY_DATES, [day])),
    );
  for (const [start, end] of [
    ['2025-10-01', '2025-10-13'],
    ['2025-10-10', '2025-10-11'],
    ['2025-10-12', '2025-10-12'],
  ])
    for (const owner of ['all', 'ben', 'ana'])
      expect(await warehouse.all(sqlFile('metrics/launches'), [start!, end!, owner])).toEqual(
        await warehouse.all(HISTORY_LAUNCHES, [start!, end!, owner]),
      );
}

describe('campaign_launches, the first spend days the loader keeps', () => {
  it("holds each spending campaign's first spend day after a load", async () => {
    await loadLines('day1.csv', DAY1);
    expect(await kept()).toEqual([
      { campaign_id: 'a', launch_date: '2025-10-10' },
      { campaign_id: 'b', launch_date: '2025-10-12' },
    ]);
    await expectSameAsHistory();
  });

  it('moves with a restatement: a first day without spend, an earlier spend day, a first spend', async () => {
    await loadLines('day2.csv', DAY2);
    expect(await kept()).toEqual([
      { campaign_id: 'a', launch_date: '2025-10-11' },
      { campaign_id: 'b', launch_date: '2025-10-09' },
      { campaign_id: 'c', launch_date: '2025-10-12' },
    ]);
    await expectSameAsHistory();
  });

  it('launches over 10-01..10-13 as launches.sql answers them', async () => {
    // a: launch 10-11, 72 h = 10-11..10-13: spend 8.00, revenue 9.00, first-day margin 9.00 - 8.00 = 1.00.
    // b: launch 10-09, 72 h = 10-09..10-11: spend 3.00 + 0.00, revenue 2.00, first-day margin -1.00.
    // c: launch 10-12: spend 5.00, revenue 9.00, first-day margin 4.00.
    expect(await warehouse.all(sqlFile('metrics/launches'), ['2025-10-01', '2025-10-13', 'all'])).toMatchObject([
      {
        campaign_id: 'b',
        launch_date: '2025-10-09',
        first_day_margin: '-1.00',
        spend_72h: '3.00',
        revenue_72h: '2.00',
      },
      { campaign_id: 'a', launch_date: '2025-10-11', first_day_margin: '1.00', spend_72h: '8.00', revenue_72h: '9.00' },
      { campaign_id: 'c', launch_date: '2025-10-12', first_day_margin: '4.00', spend_72h: '5.00', revenue_72h: '9.00' },
    ]);
  });
});
