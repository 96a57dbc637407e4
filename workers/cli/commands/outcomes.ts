import { parseArgs } from 'node:util';
import { outcomesQuerySchema, outcomesReport } from '../../../activities/approvals/outcomes-query';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { UsageError } from '../usage';

/** `scaleflow outcomes [--start D] [--end D] [--owner NAME] [--db FILE]`: the same JSON as GET /api/facebook/outcomes. */
export async function outcomes(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { start: { type: 'string' }, end: { type: 'string' }, owner: { type: 'string' }, db: { type: 'string' } } });
  const query = outcomesQuerySchema.safeParse({ start: values.start, end: values.end, owner: values.owner });
  if (!query.success) throw new UsageError(`--${String(query.error.issues[0]!.path[0])}: ${query.error.issues[0]!.message}`);
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, { readOnly: true });
  try {
    console.log(JSON.stringify(await outcomesReport(warehouse, query.data), null, 2));
  } finally {
    warehouse.close();
  }
}
