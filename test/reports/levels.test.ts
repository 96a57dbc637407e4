import { describe, expect, it } from 'vitest';
import { buildTable, rowsOf } from '../../lib/reports/arrow';
import { parseCellHeader, type CellDefinition } from '../../lib/reports/cell';
import { buildCellView } from '../../lib/reports/render';
import { compileTemplate } from '../../lib/reports/templating';

// Ad-set rows under their campaign (lib/reports/levels.ts): @limit and "more" count campaigns, the
// sentence sees only campaign rows, the plain-text part keeps each campaign's ad sets with it.
const sql = '-- @title Top\n-- @columns campaign_name:Campaign, revenue:Revenue\n-- @limit 2\nSELECT 1';
const cell: CellDefinition = {
  id: '030_top',
  header: parseCellHeader('030_top', sql),
  sql,
  narrative: compileTemplate('{{count}} campaigns, first {{first.campaign_name}}'),
  code: {},
};
const columns = [
  { name: 'row_level', kind: 'string' as const },
  { name: 'campaign_name', kind: 'string' as const },
  { name: 'adset_name', kind: 'string' as const },
  { name: 'audience_type', kind: 'string' as const },
  { name: 'revenue_source', kind: 'string' as const },
  { name: 'revenue', kind: 'decimal' as const, scale: 2 },
];
const data = (rows: (string | null)[][]) => {
  const table = buildTable(
    columns,
    columns.map((_, i) => rows.map((r) => r[i]!)),
  );
  return { columns, rows: rowsOf(table), table };
};
const scope = { asOf: '2025-10-13', yesterday: '2025-10-12', owner: null, timeZone: 'America/New_York' };

describe('ad-set rows in a cell', () => {
  it('counts campaigns for @limit and "more", and keeps each campaign with its ad sets', () => {
    const view = buildCellView(
      {
        cell,
        missing: [],
        data: data([
          ['campaign', 'A', null, null, null, '330.00'],
          ['adset', 'A', 'Broad US', 'broad', 'allocated', '165.00'],
          ['adset', 'A', 'Visitors', 'retargeting', 'allocated', '49.50'],
          ['campaign', 'B', null, null, null, '90.00'],
          ['adset', 'B', 'Lookalike 1%', 'lookalike', 'strategis', '90.00'],
          ['campaign', 'C', null, null, null, '10.00'],
        ]),
      },
      scope,
    );
    // Two campaigns (the limit) with their three ad sets; C is the one more.
    expect(view.table!.rows).toEqual([
      ['A', '$330.00'],
      ['↳ Broad US (broad)', '$165.00 ≈'],
      ['↳ Visitors (retargeting)', '$49.50 ≈'],
      ['B', '$90.00'],
      ['↳ Lookalike 1% (lookalike)', '$90.00'],
    ]);
    expect(view.table!.adset).toEqual([false, true, true, false, true]);
    expect(view.table!.more).toBe(1);
    expect(view.table!.note).toMatch(/^≈ revenue allocated/);
    expect(view.sentence.text).toBe('3 campaigns, first A');
    expect(view.lines.at(-1)).toMatch(/^≈ revenue allocated/);
  });

  it('leaves a table without ad-set rows as it was: no note, every row a campaign', () => {
    const view = buildCellView(
      {
        cell,
        missing: [],
        data: data([
          ['campaign', 'A', null, null, null, '330.00'],
          ['campaign', 'B', null, null, null, '9.00'],
        ]),
      },
      scope,
    );
    expect(view.table!.rows).toEqual([
      ['A', '$330.00'],
      ['B', '$9.00'],
    ]);
    expect(view.table!.note).toBeNull();
    expect(view.table!.adset).toEqual([false, false]);
  });
});
