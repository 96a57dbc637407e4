import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { NotAStrategisReportError } from '../../lib/strategis/columns';
import { fixture, freshWarehouse, load } from './support';

/**
 * Every rule of ../shared/strategis-report.md on a small hand-written file. Expected numbers are
 * read off the files by hand; each test also checks accepted + quarantined + skipped = data lines.
 */
let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await freshWarehouse();
});
afterEach(() => warehouse.close());

const quarantine = () =>
  warehouse.all<{ line: string; reason: string; raw: string }>(
    'SELECT line, reason, raw FROM quarantine ORDER BY line',
  );
const facts = (columns = 'date::VARCHAR AS date, campaign_id, spend, revenue') =>
  warehouse.all<Record<string, string>>(
    `SELECT ${columns} FROM campaign_daily_facts ORDER BY date, campaign_id, adset_id`,
  );

async function loadCounting(name: string, dataLines: number) {
  const result = await load(warehouse, fixture(name));
  expect(result.accepted + result.quarantined + result.skipped).toBe(dataLines);
  expect(result.data_lines).toBe(dataLines);
  return result;
}

describe('files that load', () => {
  it('BOM: the first header cell is still "date"', async () => {
    const r = await loadCounting('bom.csv', 2);
    expect(r).toMatchObject({ accepted: 2, quarantined: 0, skipped: 0 });
    expect(await facts('date::VARCHAR AS date, owner, spend')).toEqual([
      { date: '2025-10-11', owner: 'ben', spend: '100.00' },
      { date: '2025-10-12', owner: 'ben', spend: '120.50' },
    ]);
  });

  it('CRLF line ends leave no \\r in the last column', async () => {
    await loadCounting('crlf.csv', 2);
    expect(await facts('impressions, revenue')).toEqual([
      { impressions: '500', revenue: '40.00' },
      { impressions: '600', revenue: '30.00' },
    ]);
  });

  it('quoted fields keep their commas and quotes; "1,234.56" is money', async () => {
    await loadCounting('quoted-commas.csv', 2);
    expect(await facts('campaign_name, spend, revenue')).toEqual([
      { campaign_name: 'Solar, Home & Co_FB', spend: '1234.56', revenue: '2000.00' },
      { campaign_name: 'Say "hi"_FB', spend: '10.00', revenue: '12.00' },
    ]);
  });

  it('$ and thousands separators; money stays exact (0.10 + 0.20 = 0.30)', async () => {
    await loadCounting('money-formats.csv', 3);
    expect(await facts('campaign_id, spend, revenue')).toEqual([
      { campaign_id: 'm2', spend: '1234.56', revenue: '2000.00' },
      { campaign_id: 'm3', spend: '0.10', revenue: '0.20' },
      { campaign_id: 'm4', spend: '0.20', revenue: '0.10' },
    ]);
    const sum = await warehouse.one<{ s: string }>(
      "SELECT sum(spend + revenue)::VARCHAR AS s FROM campaign_daily_facts WHERE campaign_id IN ('m3')",
    );
    expect(sum!.s).toBe('0.30');
  });

  it('a totals row is skipped, not loaded and not quarantined', async () => {
    const r = await loadCounting('totals.csv', 3);
    expect(r).toMatchObject({ accepted: 2, quarantined: 0, skipped: 1 });
    expect((await facts()).map((f) => f.campaign_id)).toEqual(['t1', 't2']);
  });

  it('header aliases, US dates, provisional rows and Meta ids into the map', async () => {
    await loadCounting('aliases.csv', 2);
    expect(
      await facts(
        'date::VARCHAR AS date, owner, category, spend, revenue, conversions, is_reconciled, meta_campaign_id',
      ),
    ).toEqual([
      {
        date: '2025-10-11',
        owner: null,
        category: 'Legal',
        spend: '200.00',
        revenue: '210.00',
        conversions: '2',
        is_reconciled: true,
        meta_campaign_id: '2385000001',
      },
      {
        date: '2025-10-12',
        owner: 'tj',
        category: null,
        spend: '200.00',
        revenue: '260.00',
        conversions: '3',
        is_reconciled: false,
        meta_campaign_id: '2385000001',
      },
    ]);
    expect(await warehouse.all('SELECT campaign_id, meta_campaign_id, account_id FROM campaign_map')).toEqual([
      { campaign_id: 'al1', meta_campaign_id: '2385000001', account_id: 'act_123' },
    ]);
  });

  it('unknown columns are ignored (and roas / margin_rate recomputed, never read)', async () => {
    await loadCounting('unknown-columns.csv', 1);
    expect(await warehouse.all('SELECT spend, revenue, margin, roas FROM daily_campaign_metrics')).toEqual([
      { spend: '100.00', revenue: '139.20', margin: '39.20', roas: 139.2 },
    ]);
  });

  it('a header-only file loads nothing and is fine', async () => {
    expect(await loadCounting('header-only.csv', 0)).toMatchObject({ accepted: 0, quarantined: 0, skipped: 0 });
  });
});

describe('rows that are quarantined with their line and reason', () => {
  it('negative spend or revenue', async () => {
    await loadCounting('negative-spend.csv', 3);
    expect(await quarantine()).toEqual([
      { line: '2', reason: 'negative_spend', raw: '2025-10-12,n1,ben,-5.00,10.00' },
      { line: '3', reason: 'negative_revenue', raw: '2025-10-12,n2,ben,5.00,-$10.00' },
    ]);
  });

  it('margin must equal revenue - spend within $0.01; empty margin is fine', async () => {
    const r = await loadCounting('margin-mismatch.csv', 4);
    expect(r.accepted).toBe(3);
    expect(await quarantine()).toEqual([
      { line: '4', reason: 'margin_mismatch', raw: '2025-10-12,g3,tj,100.00,150.00,50.02' },
    ]);
  });

  it('owner "all" (any case, padded or not) is reserved: the row is quarantined, "alliance" is a name like any other', async () => {
    const r = await loadCounting('reserved-owner.csv', 5);
    expect(r).toMatchObject({ accepted: 2, quarantined: 3 });
    expect(await quarantine()).toEqual([
      { line: '3', reason: 'reserved_owner', raw: '2025-10-12,r2,ALL,100.00,150.00' },
      { line: '4', reason: 'reserved_owner', raw: '2025-10-12,r3, all ,100.00,150.00' },
      // field rules in the contract's order: spend is checked before owner
      { line: '6', reason: 'negative_spend; reserved_owner', raw: '2025-10-12,r5,All,-5.00,150.00' },
    ]);
    expect(await facts('campaign_id, owner')).toEqual([
      { campaign_id: 'r1', owner: 'ben' },
      { campaign_id: 'r4', owner: 'alliance' },
    ]);
  });

  it('impossible dates and formats other than YYYY-MM-DD or MM/DD/YYYY', async () => {
    await loadCounting('impossible-date.csv', 5);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['2', 'invalid_date'],
      ['3', 'invalid_date'],
      ['5', 'invalid_date'],
      ['6', 'invalid_date'],
    ]);
    expect(await facts('date::VARCHAR AS date, campaign_id')).toEqual([{ date: '2025-10-12', campaign_id: 'd3' }]);
  });

  it('dates after yesterday (as of 2025-10-13)', async () => {
    await loadCounting('future-date.csv', 3);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['3', 'future_date'],
      ['4', 'future_date'],
    ]);
  });

  it('missing (or blank) campaign id', async () => {
    await loadCounting('missing-campaign-id.csv', 3);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['2', 'missing_campaign_id'],
      ['3', 'missing_campaign_id'],
    ]);
  });

  it('non-numeric money and counts, every failing field named', async () => {
    const r = await loadCounting('non-numeric-money.csv', 6);
    expect(r.accepted).toBe(1);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['2', 'invalid_spend'],
      ['3', 'invalid_revenue'],
      ['4', 'invalid_clicks'],
      ['5', 'invalid_spend; missing_revenue'],
      ['6', 'invalid_spend'],
    ]);
    expect(await facts('campaign_id, clicks')).toEqual([{ campaign_id: 'x6', clicks: '1000' }]);
  });

  it('a key repeated in one file: the first loads, later ones are duplicates (dates compared as dates)', async () => {
    await loadCounting('duplicate-key.csv', 4);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['3', 'duplicate'],
      ['4', 'duplicate'],
    ]);
    expect(await facts()).toEqual([
      { date: '2025-10-11', campaign_id: 'p1', spend: '7.00', revenue: '8.00' },
      { date: '2025-10-12', campaign_id: 'p1', spend: '1.00', revenue: '2.00' },
    ]);
  });

  it('ad-set rows keep their grain, roll up to the campaign, and need an adset_id', async () => {
    await loadCounting('adset.csv', 4);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['4', 'missing_adset_id'],
      ['5', 'duplicate'],
    ]);
    // 10.10 + 5.05 = 15.15 spend, 20.20 + 1.01 = 21.21 revenue, margin 6.06, roas 140.0
    expect(
      await warehouse.all(
        'SELECT campaign_id, owner, category, spend, revenue, margin, roas FROM daily_campaign_metrics',
      ),
    ).toEqual([
      {
        campaign_id: 'as1',
        owner: 'ben',
        category: 'Insurance',
        spend: '15.15',
        revenue: '21.21',
        margin: '6.06',
        roas: 140,
      },
    ]);
  });

  it('line breaks inside quoted cells and blank lines: exact physical line numbers', async () => {
    const r = await loadCounting('quoted-newline.csv', 4);
    expect(r.parser).toBe('rows');
    expect(await quarantine()).toEqual([
      { line: '5', reason: 'negative_spend', raw: '2025-10-12,q2,Plain_FB,-1.00,2.00' },
      { line: '6', reason: 'invalid_revenue', raw: '2025-10-12,q3,"Three\r\nline\nname",1.00,x' },
    ]);
    expect(await facts('campaign_name')).toEqual([{ campaign_name: 'Two\nLines_FB' }, { campaign_name: 'Last_FB' }]);
  });

  it('rows with too few or too many cells', async () => {
    await loadCounting('ragged.csv', 4);
    expect((await quarantine()).map((q) => [q.line, q.reason])).toEqual([
      ['3', 'column_count'],
      ['5', 'column_count'],
      ['6', 'negative_spend'],
    ]);
  });
});

describe('files that are not strateg.is reports fail whole and load nothing', () => {
  const cases: [string, string][] = [
    ['empty.csv', 'the file is empty (no header line)'],
    ['not-a-report.csv', 'missing required columns campaign_id, spend, revenue; found "day", "clicks", "impressions"'],
    ['semicolon.csv', 'is the file delimited by something other than commas?'],
  ];
  it.each(cases)('%s', async (name, message) => {
    const error = await load(warehouse, fixture(name)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(NotAStrategisReportError);
    expect((error as Error).message).toContain(message);
    expect(await warehouse.all('SELECT count(*)::INT AS n FROM campaign_daily_facts')).toEqual([{ n: 0 }]);
    expect(await warehouse.all('SELECT count(*)::INT AS n FROM quarantine_rows')).toEqual([{ n: 0 }]);
    // Archived and recorded as rejected all the same: nothing is lost.
    expect(await warehouse.all('SELECT status, error IS NOT NULL AS has_error FROM ingest_batches')).toEqual([
      { status: 'rejected', has_error: true },
    ]);
    expect(await warehouse.all('SELECT count(*)::INT AS n FROM raw_files')).toEqual([{ n: 1 }]);
  });
});
