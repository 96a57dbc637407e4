import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { fixture, freshWarehouse, load, scratch } from './support';

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
  warehouse = await freshWarehouse();
  dir = scratch();
});
afterEach(() => warehouse.close());

const snapshot = () => warehouse.all('SELECT * FROM campaign_daily_facts ORDER BY ALL');
const count = async (table: string) =>
  Number((await warehouse.one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))!.n);

const HEADER = 'date,campaign_id,owner,spend,revenue';

describe('idempotent, lossless loads', () => {
  it('loading the same file twice changes nothing and returns the first batch', async () => {
    const first = await load(warehouse, fixture('negative-spend.csv'));
    const before = await snapshot();
    const second = await load(warehouse, fixture('negative-spend.csv'));
    expect(second).toMatchObject({
      batch_id: first.batch_id,
      accepted: 1,
      quarantined: 2,
      restated: 0,
      already_loaded: true,
    });
    expect(await snapshot()).toEqual(before);
    expect(await count('quarantine_rows')).toBe(2);
    expect(await count('ingest_batches')).toBe(1);
  });

  it('the same rows in different bytes (CRLF) restate nothing and leave batch and loaded_at alone', async () => {
    const lf = join(dir, 'lf.csv');
    const crlf = join(dir, 'crlf.csv');
    writeFileSync(lf, `${HEADER}\n2025-10-11,a,ben,1.00,2.00\n2025-10-12,a,ben,3.00,4.00\n`);
    writeFileSync(crlf, `${HEADER}\r\n2025-10-11,a,ben,1.00,2.00\r\n2025-10-12,a,ben,3.00,4.00\r\n`);
    await load(warehouse, lf);
    const before = await snapshot();
    const again = await load(warehouse, crlf);
    expect(again).toMatchObject({ accepted: 2, restated: 0, inserted: 0, already_loaded: false });
    expect(await snapshot()).toEqual(before);
    expect(await count('restatements')).toBe(0);
  });

  it('a restated file records old and new values with the batch that changed them', async () => {
    const day1 = join(dir, 'day1.csv');
    const day2 = join(dir, 'day2.csv');
    writeFileSync(
      day1,
      `${HEADER},is_reconciled\n2025-10-10,a,ben,10.00,12.00,true\n2025-10-11,a,ben,10.00,9.00,false\n`,
    );
    writeFileSync(
      day2,
      `${HEADER},is_reconciled\n2025-10-10,a,ben,10.00,12.00,true\n2025-10-11,a,ben,10.00,11.50,true\n2025-10-12,a,ben,5.00,6.00,false\n`,
    );
    const first = await load(warehouse, day1);
    const second = await load(warehouse, day2);
    expect(second).toMatchObject({ accepted: 3, restated: 1, inserted: 1 });
    expect(
      await warehouse.all(
        "SELECT batch_id, previous_batch_id, date::VARCHAR AS date, old_revenue, new_revenue, old_values->>'is_reconciled' AS was, new_values->>'is_reconciled' AS now FROM restatements",
      ),
    ).toEqual([
      {
        batch_id: second.batch_id,
        previous_batch_id: first.batch_id,
        date: '2025-10-11',
        old_revenue: '9.00',
        new_revenue: '11.50',
        was: 'false',
        now: 'true',
      },
    ]);
    // The new values win; the untouched day keeps its first batch.
    expect(
      await warehouse.all('SELECT date::VARCHAR AS date, revenue, batch_id FROM campaign_daily_facts ORDER BY date'),
    ).toEqual([
      { date: '2025-10-10', revenue: '12.00', batch_id: first.batch_id },
      { date: '2025-10-11', revenue: '11.50', batch_id: second.batch_id },
      { date: '2025-10-12', revenue: '6.00', batch_id: second.batch_id },
    ]);
  });

  it('archives every file unchanged under its sha256 before parsing', async () => {
    const archiveDir = join(dir, 'archive');
    const result = await load(warehouse, fixture('bom.csv'), { archiveDir });
    const row = await warehouse.one<{ archive_path: string; bytes: string; original_name: string; source: string }>(
      'SELECT * FROM raw_files',
    );
    expect(row).toMatchObject({
      original_name: 'bom.csv',
      source: 'cli',
      archive_path: join(archiveDir, `${result.sha256}.csv`),
    });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(row!.archive_path)).toEqual(readFileSync(fixture('bom.csv')));
    expect(Number(row!.bytes)).toBe(readFileSync(fixture('bom.csv')).length);
  });
});

describe('daily_campaign_metrics', () => {
  it('owner from the file, else the campaign map, else unassigned; category from the name when empty', async () => {
    const file = join(dir, 'owners.csv');
    writeFileSync(
      file,
      'date,campaign_id,campaign_name,owner,category,spend,revenue\n' +
        '2025-10-12,a,Dental_FB_X,BEN,,100.00,139.24\n2025-10-12,b,Solar_FB_Y,,,0.00,5.00\n2025-10-12,c,Pets_FB_Z,,Animals,3.00,1.00\n',
    );
    await warehouse.run("INSERT INTO campaign_map (campaign_id, owner) VALUES ('b', 'dan')");
    await load(warehouse, file);
    expect(await warehouse.all('SELECT * FROM daily_campaign_metrics ORDER BY campaign_id')).toEqual([
      // 139.24 / 100 * 100 = 139.24 -> 139.2; margin 39.24
      {
        date: '2025-10-12',
        campaign_id: 'a',
        campaign_name: 'Dental_FB_X',
        owner: 'ben',
        category: 'Dental',
        spend: '100.00',
        revenue: '139.24',
        margin: '39.24',
        roas: 139.2,
        clicks: null,
        conversions: null,
        impressions: null,
      },
      {
        date: '2025-10-12',
        campaign_id: 'b',
        campaign_name: 'Solar_FB_Y',
        owner: 'dan',
        category: 'Solar',
        spend: '0.00',
        revenue: '5.00',
        margin: '5.00',
        roas: null,
        clicks: null,
        conversions: null,
        impressions: null,
      },
      {
        date: '2025-10-12',
        campaign_id: 'c',
        campaign_name: 'Pets_FB_Z',
        owner: 'unassigned',
        category: 'Animals',
        spend: '3.00',
        revenue: '1.00',
        margin: '-2.00',
        roas: 33.3,
        clicks: null,
        conversions: null,
        impressions: null,
      },
    ]);
  });
});
