import { Warehouse } from '../../../activities/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const sqlSpec = defineCommand({
  name: 'sql',
  args: '"<query>"',
  options: { db: dbOption },
  about: 'Prints the rows of a query as JSON, read-only, with the worker stopped (the worker owns the file while it runs).',
});

export async function sql(args: string[]): Promise<void> {
  const { positionals, values } = parseCommandArgs(sqlSpec, args);
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('sql needs a query, e.g. scaleflow sql "select 42"');
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, { readOnly: true });
  try {
    console.log(JSON.stringify(await warehouse.all(query), null, 2));
  } finally {
    warehouse.close();
  }
}
