import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { RESERVED_OWNER } from '../../lib/owner-name';
import {
  CONTROL_CHARACTER_PATTERN,
  FALSE_WORDS,
  INTEGER_PATTERN,
  ISO_DATE_PATTERN,
  MAX_TEXT_LENGTH,
  MONEY_PATTERN,
  TRUE_WORDS,
  US_DATE_PATTERN,
} from '../../lib/strategis/row';

/** A quarantined row as it is stored: exact line, reason codes, the record's text. */
export interface QuarantineEntry {
  line: number;
  reason: string;
  raw: string;
}

/** What a reader leaves behind: strategis_checked filled, and the quarantined rows with their lines. */
export interface ReaderOutcome {
  parser: 'sql' | 'rows';
  /** Records after the header (blank lines are not records). */
  dataLines: number;
  quarantine: QuarantineEntry[];
}

export async function createCheckedTable(warehouse: Warehouse): Promise<void> {
  await warehouse.run(sqlFile('strategis/create_checked'));
}

const quoteList = (words: string[]) => words.map((w) => `'${w}'`).join(', ');

/** validate.sql with lib/strategis/row.ts's own patterns put in: one definition for both readers. */
export function validateSql(): string {
  return sqlFile('strategis/validate')
    .replaceAll('{{ISO_DATE}}', ISO_DATE_PATTERN)
    .replaceAll('{{US_DATE}}', US_DATE_PATTERN)
    .replaceAll('{{MONEY}}', MONEY_PATTERN)
    .replaceAll('{{INTEGER}}', INTEGER_PATTERN)
    .replaceAll('{{CONTROL_CHARACTER}}', CONTROL_CHARACTER_PATTERN)
    .replaceAll('{{MAX_TEXT_LENGTH}}', String(MAX_TEXT_LENGTH))
    .replaceAll('{{BOOLEAN_WORDS}}', quoteList([...TRUE_WORDS, ...FALSE_WORDS]))
    .replaceAll('{{TRUE_WORDS}}', quoteList(TRUE_WORDS))
    .replaceAll('{{RESERVED_OWNER}}', RESERVED_OWNER);
}
