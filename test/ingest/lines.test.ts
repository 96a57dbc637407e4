import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countDataLines, locateDataLines, mayHavePaddedCells, rawText } from '../../lib/strategis/lines';
import { freshWarehouse, load, scratch } from './support';

const HEADER = 'date,campaign_id,spend,revenue';

describe('data lines without a per-row index', () => {
  // line 1 header, 2 a, 3 blank, 4 b (CRLF), 5 blank CR only, 6 c, no final line break
  const buf = Buffer.from(`${HEADER}\na\n\nb\r\n\r\nc`);

  it('counts the non-blank lines after the header', () => {
    expect(countDataLines(buf)).toBe(3);
    expect(countDataLines(Buffer.from(`${HEADER}\n`))).toBe(0);
    expect(countDataLines(Buffer.from(HEADER))).toBe(0);
    expect(countDataLines(Buffer.from(`${HEADER}\nx\n`))).toBe(1);
  });

  it('finds the physical line and text of the ordinals asked for, and only those', () => {
    const found = locateDataLines(buf, [1, 2]);
    expect(found.map((l) => [l.line, rawText(buf, l.start, l.end)])).toEqual([
      [4, 'b'],
      [6, 'c'],
    ]);
    expect(locateDataLines(buf, [])).toEqual([]);
  });
});

describe('may a cell carry padding that trim() would remove', () => {
  const file = (body: string) => Buffer.from(`${HEADER}\n${body}`);

  it('no: spaces only inside cells of an ASCII file (the header does not count)', () => {
    expect(mayHavePaddedCells(file('2025-10-12,Solar Home FB,1.00,2.00\n'))).toBe(false);
    expect(mayHavePaddedCells(Buffer.from(`date, campaign_id,spend,revenue\n2025-10-12,a,1.00,2.00\n`))).toBe(false);
  });

  it('yes: a space next to a comma, a quote or a line break, at either end of the data', () => {
    for (const body of [
      ' 2025-10-12,a,1,2',
      '2025-10-12 ,a,1,2',
      '2025-10-12, a,1,2',
      '2025-10-12,"a ",1,2',
      '2025-10-12,a,1,2 \r\n',
      '2025-10-12,a,1,2 ',
    ]) {
      expect(mayHavePaddedCells(file(body)), body).toBe(true);
    }
  });

  it('yes: any non-ASCII text after the header (DuckDB trims Unicode spaces such as U+00A0)', () => {
    expect(mayHavePaddedCells(file('2025-10-12,Café_FB,1.00,2.00\n'))).toBe(true);
  });
});

describe('the DuckDB reader keeps exact lines past blank lines', () => {
  // line 1 header, 2 accepted, 3 blank, 4 negative spend, 5 and 6 blank, 7 a repeat of line 2's key
  const rows = [HEADER, '2025-10-11,a,1.00,2.00', '', '2025-10-11,b,-1.00,2.00', '', '', '2025-10-11,a,3.00,4.00', ''];

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('%s: quarantined rows carry their physical line numbers', async (_name, eol) => {
    const path = join(scratch(), 'blank-lines.csv');
    writeFileSync(path, rows.join(eol));
    const warehouse = await freshWarehouse();
    try {
      const result = await load(warehouse, path);
      expect(result).toMatchObject({ parser: 'sql', data_lines: 3, accepted: 1, quarantined: 2, skipped: 0 });
      expect(await warehouse.all('SELECT line, reason, raw FROM quarantine ORDER BY line')).toEqual([
        { line: '4', reason: 'negative_spend', raw: '2025-10-11,b,-1.00,2.00' },
        { line: '7', reason: 'duplicate', raw: '2025-10-11,a,3.00,4.00' },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
