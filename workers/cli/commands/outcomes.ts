import { outcomesQuerySchema, outcomesReport } from '../../../services/analytics/outcomes-query';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const outcomesSpec = defineCommand({
  name: 'outcomes',
  options: {
    start: { type: 'string', value: 'DATE', help: 'checks of changes from this day on' },
    end: { type: 'string', value: 'DATE', help: 'up to this day' },
    owner: { type: 'string', value: 'NAME', help: "one owner's changes (default: all)" },
    level: { type: 'string', value: 'LEVEL', help: 'auto (every check, the default), campaign or adset' },
    db: dbOption,
  },
  about:
    'Each 7-day outcome check and recommendation accuracy by rule and owner: the JSON of GET /api/facebook/outcomes.',
});

export async function outcomes(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(outcomesSpec, args);
  const query = outcomesQuerySchema.safeParse({
    start: values.start,
    end: values.end,
    owner: values.owner,
    level: values.level,
  });
  if (!query.success)
    throw new UsageError(`--${String(query.error.issues[0]!.path[0])}: ${query.error.issues[0]!.message}`);
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, { readOnly: true });
  try {
    console.log(JSON.stringify(await outcomesReport(warehouse, query.data), null, 2));
  } finally {
    warehouse.close();
  }
}
