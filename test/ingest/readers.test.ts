import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { fixture, freshWarehouse, load } from './support';

/**
 * The DuckDB reader (read_csv + validate.sql) and the row reader (csv-parse + the zod schema in
 * lib/strategis/row.ts) must classify every row of every file the same way: same accepted values,
 * same quarantined lines, reasons and raw text, same skipped rows.
 */
const files = readdirSync(fixture('.'))
  .filter((f) => f.endsWith('.csv'))
  .sort();

async function outcome(name: string, reader: 'auto' | 'rows') {
  const warehouse: Warehouse = await freshWarehouse();
  try {
    const result = await load(warehouse, fixture(name), { reader }).catch((err: Error) => ({ error: err.message }));
    if ('error' in result) return { result };
    const { batch_id: _b, parser, already_loaded: _a, ...counts } = result;
    return {
      parser,
      counts,
      facts: await warehouse.all(`SELECT * EXCLUDE (batch_id, loaded_at) FROM campaign_daily_facts ORDER BY ALL`),
      quarantine: await warehouse.all('SELECT line, reason, raw FROM quarantine ORDER BY line'),
      map: await warehouse.all('SELECT campaign_id, meta_campaign_id, account_id FROM campaign_map ORDER BY ALL'),
    };
  } finally {
    warehouse.close();
  }
}

describe('both readers give the same answers', () => {
  it('there are fixtures the DuckDB reader takes and fixtures it hands over', async () => {
    const parsers = await Promise.all(['totals.csv', 'ragged.csv'].map(async (f) => (await outcome(f, 'auto')).parser));
    expect(parsers).toEqual(['sql', 'rows']);
  });

  it.each(files)('%s', async (name) => {
    const fast = await outcome(name, 'auto');
    const rows = await outcome(name, 'rows');
    expect(rows.parser ?? 'rows').toBe('rows');
    expect({ ...fast, parser: undefined }).toEqual({ ...rows, parser: undefined });
  });
});
