import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshCampaignDays } from '../../services/warehouse/campaign-days';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { freshWarehouse, load, scratch } from './support';

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await freshWarehouse();
  dir = scratch();
});
afterEach(() => warehouse.close());

const HEADER = 'date,campaign_id,campaign_name,owner,level,adset_id,adset_name,spend,revenue,clicks';
// Day one: campaign a in two ad sets, b with no owner in the file, n quarantined (negative spend).
const DAY1 = [
  '2025-10-10,a,Dental_FB_A,ben,adset,a1,Men,10.00,12.00,3',
  '2025-10-10,a,Dental_FB_A,ben,adset,a2,Women,5.00,4.50,2',
  '2025-10-11,a,Dental_FB_A,ben,adset,a1,Men,8.00,9.00,1',
  '2025-10-11,b,Solar_FB_B,,campaign,,,20.00,15.00,4',
  '2025-10-11,n,Pets_FB_N,ben,campaign,,,-5.00,1.00,1',
];
// Day two restates a/a1 on 2025-10-11 (revenue 9.00 -> 11.00) and adds b's 2025-10-12.
const DAY2 = [
  '2025-10-11,a,Dental_FB_A,ben,adset,a1,Men,8.00,11.00,1',
  '2025-10-12,b,Solar_FB_B,,campaign,,,7.00,7.70,2',
];

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  return path;
}
const table = () => warehouse.all('SELECT * FROM campaign_day_metrics ORDER BY date, campaign_id');
const view = () => warehouse.all('SELECT * FROM daily_campaign_metrics ORDER BY date, campaign_id');

describe('campaign_days, the roll-up the loader keeps', () => {
  it('equals daily_campaign_metrics row by row after loads, a restatement, a quarantined row and a map edit', async () => {
    const first = await load(warehouse, file('day1.csv', DAY1), { asOf: '2025-10-12' });
    expect(first).toMatchObject({ quarantined: 1 });
    // b's owner comes from the map, set after the load: read through the map when asked, as the view does.
    await warehouse.run("INSERT INTO campaign_map (campaign_id, owner) VALUES ('b', 'dan')");
    const second = await load(warehouse, file('day2.csv', DAY2), { asOf: '2025-10-13' });
    expect(second).toMatchObject({ restated: 1, inserted: 1 });

    const row = (date: string, id: string, name: string, owner: string, category: string, money: string[]) => {
      const [spend, revenue, margin, roas, clicks] = money;
      return {
        date,
        campaign_id: id,
        campaign_name: name,
        owner,
        category,
        spend,
        revenue,
        margin,
        roas: Number(roas),
        clicks: clicks!,
        conversions: null,
        impressions: null,
      };
    };
    const expected = [
      // a on 10-10: ad sets 10.00 + 5.00 = 15.00 spent, 12.00 + 4.50 = 16.50 earned; margin 1.50;
      // roas 16.50 / 15.00 * 100 = 110.0; clicks 3 + 2 = 5
      row('2025-10-10', 'a', 'Dental_FB_A', 'ben', 'Dental', ['15.00', '16.50', '1.50', '110', '5']),
      // a on 10-11, restated: 8.00 spent, 11.00 earned (not 9.00); margin 3.00; roas 11 / 8 * 100 = 137.5
      row('2025-10-11', 'a', 'Dental_FB_A', 'ben', 'Dental', ['8.00', '11.00', '3.00', '137.5', '1']),
      // b on 10-11: owner from the map; 15.00 - 20.00 = -5.00; roas 15 / 20 * 100 = 75.0
      row('2025-10-11', 'b', 'Solar_FB_B', 'dan', 'Solar', ['20.00', '15.00', '-5.00', '75', '4']),
      // b on 10-12: 7.70 - 7.00 = 0.70; roas 7.70 / 7.00 * 100 = 110.0
      row('2025-10-12', 'b', 'Solar_FB_B', 'dan', 'Solar', ['7.00', '7.70', '0.70', '110', '2']),
    ];
    expect(await table()).toEqual(expected);
    expect(await table()).toEqual(await view());
  });

  it('a load rolls up again only the campaign days its rows name', async () => {
    await load(warehouse, file('day1.csv', DAY1), { asOf: '2025-10-12' });
    // A stand-in for an untouched day: DAY2 names a on 10-11 and b on 10-12, not a on 10-10.
    await warehouse.run("UPDATE campaign_days SET spend = 999 WHERE date = '2025-10-10' AND campaign_id = 'a'");
    await warehouse.run("UPDATE campaign_days SET spend = 999 WHERE date = '2025-10-11' AND campaign_id = 'a'");
    await load(warehouse, file('day2.csv', DAY2), { asOf: '2025-10-13' });
    const spend = () =>
      warehouse.all("SELECT date::VARCHAR AS date, spend FROM campaign_days WHERE campaign_id = 'a' ORDER BY date");
    expect(await spend()).toEqual([
      { date: '2025-10-10', spend: '999.00' },
      { date: '2025-10-11', spend: '8.00' },
    ]);
    await refreshCampaignDays(warehouse, 'all');
    expect(await table()).toEqual(await view());
  });
});
