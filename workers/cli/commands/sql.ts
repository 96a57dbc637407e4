import { parseArgs } from 'node:util';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { UsageError } from '../usage';

/** `scaleflow sql "<query>" [--db FILE]`: read-only, with the worker stopped. */
export async function sql(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } });
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('sql needs a query, e.g. scaleflow sql "select 42"');
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, { readOnly: true });
  try {
    console.log(JSON.stringify(await warehouse.all(query), null, 2));
  } finally {
    warehouse.close();
  }
}
