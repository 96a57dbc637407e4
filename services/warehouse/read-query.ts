import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { QueryRefusedError } from './errors';
import type { Row } from './warehouse';

const firstLine = (err: unknown) => String((err as Error).message).split('\n')[0] ?? '';

/**
 * Runs exactly one statement that DuckDB itself classifies as a query (SELECT, WITH, FROM,
 * DESCRIBE, SHOW, SUMMARIZE and PRAGMA's table forms all parse to SELECT), on a connection
 * opened read-only with external access off. The statement DuckDB checked is the one that runs:
 * the text is never handed to DuckDB a second time. Everything else is refused with a sentence.
 */
export async function runOneRead(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (err) {
    throw new QueryRefusedError(
      `DuckDB cannot parse the query: ${firstLine(err).replace(/^Failed to extract statements: /, '')}`,
      err,
    );
  }
  if (extracted.count !== 1) {
    throw new QueryRefusedError(`one statement per call: DuckDB found ${extracted.count} in this query`);
  }
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    // Refusals of file, URL and ATTACH access surface here, as DuckDB's "Permission Error".
    throw new QueryRefusedError(`DuckDB refused the query: ${firstLine(err)}`, err);
  }
  try {
    const type = prepared.statementType;
    if (type !== StatementType.SELECT) {
      throw new QueryRefusedError(
        `reads only: DuckDB reads this statement as ${StatementType[type] ?? type}, and only a query ` +
          '(SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE) runs here',
      );
    }
    try {
      return (await prepared.runAndReadAll()).getRowObjectsJson() as Row[];
    } catch (err) {
      throw new QueryRefusedError(`DuckDB stopped the query: ${firstLine(err)}`, err);
    }
  } finally {
    prepared.destroySync();
  }
}
