import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { COLUMN_NAMES, type HeaderMap } from '../../lib/strategis/columns';
import { countDataLines, locateDataLines, mayHavePaddedCells, rawText } from '../../lib/strategis/lines';
import { validateSql, type QuarantineEntry, type ReaderOutcome } from './checked';

/**
 * The fast reader: DuckDB parses the whole file (every cell as text, columns by position) and
 * validate.sql types and checks it in one statement. Undefined when the file is irregular (a row
 * with the wrong number of cells, a quoted line break): the row reader then gives exact answers.
 */
export async function readWithDuckDb(
  warehouse: Warehouse,
  file: string,
  buf: Buffer,
  header: HeaderMap,
  yesterday: string,
): Promise<ReaderOutcome | undefined> {
  // Column names are ours (c0, c1, ...), never the file's, so nothing from the file reaches SQL text.
  const columns = Array.from({ length: header.width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const reading = warehouse.run(
    `CREATE OR REPLACE TEMP TABLE strategis_raw AS
     SELECT * FROM read_csv($file, delim = ',', quote = '"', escape = '"', header = false, skip = 1,
                            auto_detect = false, strict_mode = true, null_padding = false, columns = {${columns}})`,
    { file },
  );
  // DuckDB reads on its own threads; scan the bytes meanwhile.
  const dataLines = countDataLines(buf);
  const trim = mayHavePaddedCells(buf);
  try {
    await reading;
  } catch {
    // Ragged rows, stray quotes, bad UTF-8: the row reader says exactly which lines and why.
    return undefined;
  }
  try {
    const counted = await warehouse.one<{ n: string }>('SELECT count(*) AS n FROM strategis_raw');
    // One record per non-blank line, or some record spans lines: then ordinals are not lines.
    if (Number(counted!.n) !== dataLines) return undefined;

    // Cells are trimmed here, once; in a file where no cell can carry padding trim() would change
    // nothing, and it is the costliest step of validation.
    const cell = (index: number) => (trim ? `trim(c${index})` : `c${index}`);
    // rowid follows the file's order (DuckDB preserves insertion order), so it is the record's ordinal.
    const projection = COLUMN_NAMES.map((column) => {
      const index = header.positions[column];
      return `${index === undefined ? 'CAST(NULL AS VARCHAR)' : cell(index)} AS ${column}`;
    }).join(', ');
    await warehouse.run(
      `CREATE OR REPLACE TEMP VIEW strategis_input AS SELECT rowid AS ordinal, ${cell(0)} AS first_cell, ${projection} FROM strategis_raw`,
    );
    await warehouse.run(validateSql(), { yesterday });
    // The text copy of the file is no longer needed: free it before the rest of the load.
    await dropRaw(warehouse);
    await warehouse.run(sqlFile('strategis/mark_duplicates'));

    const flagged = await warehouse.all<{ ordinal: string; reason: string }>(sqlFile('strategis/quarantined_ordinals'));
    const lines = locateDataLines(
      buf,
      flagged.map(({ ordinal }) => Number(ordinal)),
    );
    const quarantine: QuarantineEntry[] = flagged.map(({ reason }, i) => {
      const { line, start, end } = lines[i]!;
      return { line, reason, raw: rawText(buf, start, end) };
    });
    return { parser: 'sql', dataLines, quarantine };
  } finally {
    await dropRaw(warehouse);
  }
}

async function dropRaw(warehouse: Warehouse): Promise<void> {
  await warehouse.run('DROP VIEW IF EXISTS strategis_input');
  await warehouse.run('DROP TABLE IF EXISTS strategis_raw');
}
