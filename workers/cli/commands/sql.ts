import { QueryRefusedError } from '../../../services/warehouse/errors';
import { runOneRead } from '../../../services/warehouse/read-query';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const sqlSpec = defineCommand({
  name: 'sql',
  args: '"<query>"',
  options: { db: dbOption },
  about: `Prints the rows of one query as JSON, with the worker stopped (the worker owns the file while it runs).
Read-only for real: the file opens read-only with DuckDB's external access off (no files, URLs or
ATTACH) and its configuration locked, and DuckDB must read the text as exactly one query (SELECT,
WITH, FROM, DESCRIBE, SHOW, SUMMARIZE). Anything else is refused with exit 2.`,
});

export async function sql(args: string[]): Promise<void> {
  const { positionals, values } = parseCommandArgs(sqlSpec, args);
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('sql needs a query, e.g. scaleflow sql "select 42"');
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, {
    readOnly: true,
    files: false,
  });
  try {
    console.log(JSON.stringify(await runOneRead(warehouse.connection, query), null, 2));
  } catch (err) {
    if (err instanceof QueryRefusedError) throw new UsageError(err.message);
    throw err;
  } finally {
    warehouse.close();
  }
}
