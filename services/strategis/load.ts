import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { metrics } from '../prometheus';
import { refreshCampaignDays } from '../warehouse/campaign-days';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { yesterdayOf } from '../../lib/dates';
import { mapHeader, NotAStrategisReportError, type HeaderMap } from '../../lib/strategis/columns';
import type { IngestRequest, IngestResult } from '../../lib/strategis/ingest';
import { archiveFile } from './archive';
import { createCheckedTable, type QuarantineEntry, type ReaderOutcome } from './checked';
import { firstLine } from '../../lib/strategis/lines';
import { readRows } from './read-rows';
import { readWithDuckDb } from './read-sql';

export interface LoadOptions {
  archiveDir: string;
  /** Tests force the row reader to hold both readers to the same answers. */
  reader?: 'auto' | 'rows';
  /**
   * Told after each step, and every ROWS_PER_PROGRESS rows of the row reader: the activity
   * heartbeats with it, so a worker that dies mid-load is noticed within the heartbeat timeout.
   */
  progress?: (step: string) => void;
}

// Loads share the connection's temp tables and transaction: one at a time per warehouse.
const queues = new WeakMap<Warehouse, Promise<unknown>>();
function exclusive<T>(warehouse: Warehouse, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(warehouse) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(fn);
  queues.set(warehouse, next);
  return next;
}

function readHeader(buf: Buffer): HeaderMap {
  const text = firstLine(buf);
  const cells =
    text.trim() === ''
      ? undefined
      : (parse(text, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][])[0];
  return mapHeader(cells);
}

/**
 * Archives, validates and loads one strateg.is file: accepted rows are upserted, changed ones
 * recorded as restatements, bad ones quarantined with line and reason. The same bytes loaded again
 * return the first load's batch and change nothing. A file that is not a strateg.is report throws
 * NotAStrategisReportError after it is archived and its rejected batch recorded; nothing is loaded.
 */
export function loadStrategisFile(
  warehouse: Warehouse,
  request: IngestRequest,
  options: LoadOptions,
): Promise<IngestResult> {
  return exclusive(warehouse, async () => {
    const name = request.name ?? basename(request.path);
    const {
      buf,
      sha256: hash,
      archivePath,
    } = await archiveFile(warehouse, options.archiveDir, request.path, { source: request.source, name });
    options.progress?.(`archived ${name}`);

    const previous = await warehouse.one<Record<string, string>>(
      `SELECT batch_id, file, accepted, quarantined, skipped, restated, data_lines, inserted, parser
       FROM ingest_batches WHERE sha256 = $1 AND status = 'loaded' ORDER BY started_at LIMIT 1`,
      [hash],
    );
    if (previous)
      return {
        ...countsOf(previous),
        file: previous.file!,
        sha256: hash,
        batch_id: previous.batch_id!,
        already_loaded: true,
      };

    const batchId = randomUUID();
    let header: HeaderMap;
    try {
      header = readHeader(buf);
    } catch (err) {
      if (!(err instanceof NotAStrategisReportError)) throw err;
      await warehouse.run(
        `INSERT INTO ingest_batches (batch_id, sha256, file, source, as_of, status, error, finished_at)
         VALUES ($1, $2, $3, $4, CAST($5 AS DATE), 'rejected', $6, now())`,
        [batchId, hash, name, request.source, request.asOf, err.message],
      );
      throw err;
    }

    const yesterday = yesterdayOf(request.asOf);
    await createCheckedTable(warehouse);
    try {
      let outcome: ReaderOutcome | undefined;
      if (options.reader !== 'rows') outcome = await readWithDuckDb(warehouse, archivePath, buf, header, yesterday);
      if (!outcome) {
        await createCheckedTable(warehouse);
        outcome = await readRows(warehouse, buf, header, yesterday, options.progress);
      }
      const reader = outcome;
      options.progress?.(`read ${reader.dataLines} lines (${reader.parser})`);
      const counts = await warehouse.one<Record<string, string>>(sqlFile('strategis/counts'));
      const loaded = await warehouse.transaction(async () => {
        await storeQuarantine(warehouse, reader.quarantine, { batchId, sha256: hash, file: name });
        await warehouse.run(sqlFile('strategis/record_restatements'), { batch_id: batchId });
        const restated = Number(
          (await warehouse.one<{ n: string }>('SELECT count(*) AS n FROM restatements WHERE batch_id = $1', [batchId]))!
            .n,
        );
        await warehouse.run(sqlFile('strategis/merge_facts'), { batch_id: batchId });
        await warehouse.run(sqlFile('strategis/insert_facts'), { batch_id: batchId });
        await refreshCampaignDays(warehouse, 'load');
        const written = Number(
          (await warehouse.one<{ n: string }>('SELECT count(*) AS n FROM campaign_daily_facts WHERE batch_id = $1', [
            batchId,
          ]))!.n,
        );
        await warehouse.run(sqlFile('strategis/fill_campaign_map'));
        const result: IngestResult = {
          file: name,
          sha256: hash,
          accepted: Number(counts!.accepted),
          quarantined: Number(counts!.quarantined),
          skipped: Number(counts!.skipped),
          restated,
          batch_id: batchId,
          data_lines: reader.dataLines,
          inserted: written - restated,
          parser: reader.parser,
          already_loaded: false,
        };
        await warehouse.run(
          `INSERT INTO ingest_batches (batch_id, sha256, file, source, as_of, status, parser, data_lines, accepted,
             quarantined, skipped, inserted, restated, finished_at)
           VALUES ($1, $2, $3, $4, CAST($5 AS DATE), 'loaded', $6, $7, $8, $9, $10, $11, $12, now())`,
          [
            batchId,
            hash,
            name,
            request.source,
            request.asOf,
            result.parser,
            result.data_lines,
            result.accepted,
            result.quarantined,
            result.skipped,
            result.inserted,
            result.restated,
          ],
        );
        return result;
      });
      // Counted once the rows are committed: a load that rolls back (and is retried) lands nothing.
      // A file loaded before returned above, so its rows are never counted twice.
      options.progress?.(`loaded ${loaded.accepted} rows`);
      metrics.rowsIngested.inc(loaded.accepted);
      metrics.rowsQuarantined.inc(loaded.quarantined);
      return loaded;
    } finally {
      await warehouse.run('DROP TABLE IF EXISTS strategis_checked');
    }
  });
}

function countsOf(row: Record<string, string>) {
  return {
    accepted: Number(row.accepted),
    quarantined: Number(row.quarantined),
    skipped: Number(row.skipped),
    restated: Number(row.restated),
    data_lines: Number(row.data_lines),
    inserted: Number(row.inserted),
    parser: row.parser as 'sql' | 'rows',
  };
}

async function storeQuarantine(
  warehouse: Warehouse,
  entries: QuarantineEntry[],
  batch: { batchId: string; sha256: string; file: string },
): Promise<void> {
  if (entries.length === 0) return;
  const appender = await warehouse.connection.createAppender('quarantine_rows');
  try {
    for (const entry of entries) {
      appender.appendVarchar(batch.batchId);
      appender.appendVarchar(batch.sha256);
      appender.appendVarchar(batch.file);
      appender.appendBigInt(BigInt(entry.line));
      appender.appendVarchar(entry.reason);
      appender.appendVarchar(entry.raw);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
