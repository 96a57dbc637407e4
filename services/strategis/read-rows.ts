import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Warehouse } from '../warehouse/warehouse';
import { cellsByColumn, isTotalsRow, type HeaderMap } from '../../lib/strategis/columns';
import { checkRow, rowKey, strategisRowSchema, type StrategisRow } from '../../lib/strategis/row';
import { centsToString } from '../../lib/money';
import { rawText, lineAt } from '../../lib/strategis/lines';
import type { QuarantineEntry, ReaderOutcome } from './checked';

/**
 * The row reader: csv-parse streams the records, the zod schema in lib/strategis/row.ts decides
 * each one, and the verdicts go into strategis_checked through DuckDB's appender. Slower than the
 * DuckDB reader, but exact on irregular files: ragged rows, line breaks inside quoted cells.
 */
/** How often a long file reports progress (a heartbeat in the activity). */
const ROWS_PER_PROGRESS = 10_000;

export function readRows(
  warehouse: Warehouse,
  buf: Buffer,
  header: HeaderMap,
  yesterday: string,
  progress?: (step: string) => void,
): Promise<ReaderOutcome> {
  // The appender writes through the connection as its chunks fill: never into another caller's open transaction.
  return warehouse.withConnection(() => appendRows(warehouse, buf, header, yesterday, progress));
}

async function appendRows(
  warehouse: Warehouse,
  buf: Buffer,
  header: HeaderMap,
  yesterday: string,
  progress?: (step: string) => void,
): Promise<ReaderOutcome> {
  const schema = strategisRowSchema(yesterday);
  const parser = Readable.from([buf]).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false }),
  );
  const quarantine: QuarantineEntry[] = [];
  const seen = new Set<string>();
  const appender = await warehouse.connection.createAppender('strategis_checked');
  let ordinal = -1;
  let headerSeen = false;
  let previousEnd = 0;
  let counted = { offset: 0, line: 1 };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      // A record starts where the previous one ended, past any blank lines between them.
      let start = previousEnd;
      while (start < info.bytes && (buf[start] === 0x0a || buf[start] === 0x0d)) start += 1;
      const end = info.bytes;
      previousEnd = end;
      if (!headerSeen) {
        headerSeen = true; // the header, already mapped
        continue;
      }
      ordinal += 1;
      if (ordinal > 0 && ordinal % ROWS_PER_PROGRESS === 0) progress?.(`checked ${ordinal} rows`);
      const line = lineAt(buf, start, counted);
      counted = { offset: start, line };

      if (isTotalsRow(record[0])) {
        appendVerdict(appender, ordinal, true, null);
        continue;
      }
      let reason: string | undefined;
      if (record.length !== header.width) reason = 'column_count';
      else {
        const verdict = checkRow(schema, cellsByColumn(header, record));
        if (!verdict.ok) reason = verdict.reason;
        else if (seen.has(rowKey(verdict.row))) reason = 'duplicate';
        else {
          seen.add(rowKey(verdict.row));
          appendVerdict(appender, ordinal, false, null, verdict.row);
          continue;
        }
      }
      quarantine.push({ line, reason, raw: rawText(buf, start, end) });
      appendVerdict(appender, ordinal, false, reason);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return { parser: 'rows', dataLines: ordinal + 1, quarantine };
}

type Appender = Awaited<ReturnType<Warehouse['connection']['createAppender']>>;

function appendText(appender: Appender, value: string | undefined): void {
  if (value === undefined) appender.appendNull();
  else appender.appendVarchar(value);
}

function appendCount(appender: Appender, value: number | undefined): void {
  if (value === undefined) appender.appendNull();
  else appender.appendBigInt(BigInt(value));
}

/** One row of strategis_checked, in its column order (create_checked.sql). */
function appendVerdict(
  appender: Appender,
  ordinal: number,
  isTotal: boolean,
  reason: string | null,
  row?: StrategisRow,
): void {
  appender.appendBigInt(BigInt(ordinal));
  appender.appendBoolean(isTotal);
  if (reason === null) appender.appendNull();
  else appender.appendVarchar(reason);
  if (!row) {
    for (let i = 0; i < 16; i++) appender.appendNull();
  } else {
    appender.appendVarchar(row.date); // DuckDB casts text to DATE and DECIMAL exactly
    appender.appendVarchar(row.campaign_id);
    appender.appendVarchar(row.adset_id);
    appendText(appender, row.campaign_name);
    appendText(appender, row.adset_name);
    appendText(appender, row.owner);
    appendText(appender, row.category);
    appender.appendVarchar(centsToString(row.spend));
    appender.appendVarchar(centsToString(row.revenue));
    appendCount(appender, row.clicks);
    appendCount(appender, row.conversions);
    appendCount(appender, row.impressions);
    appendCount(appender, row.sessions);
    appendText(appender, row.account_id);
    appendText(appender, row.meta_campaign_id);
    appender.appendBoolean(row.is_reconciled);
  }
  appender.endRow();
}
