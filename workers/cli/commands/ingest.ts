import { basename } from 'node:path';
import { seedCampaignMap } from '../../../services/strategis/campaign-map';
import { loadStrategisFile } from '../../../services/strategis/load';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { dateIn, isIsoDate } from '../../../lib/dates';
import { NotAStrategisReportError } from '../../../lib/strategis/columns';
import { summaryLine } from '../../../lib/strategis/ingest';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { startProgress } from '../progress';
import { UsageError } from '../usage';

export const ingestSpec = defineCommand({
  name: 'ingest',
  args: 'FILE',
  options: {
    db: dbOption,
    'as-of': { type: 'string', value: 'DATE', help: 'the day the file was pulled (default: today in TZ)' },
  },
  about: `Loads one strateg.is report with the worker stopped and prints one JSON line: file, sha256,
accepted, quarantined, skipped, restated, batch_id.`,
});

export async function ingest(args: string[]): Promise<number | void> {
  const { positionals, values } = parseCommandArgs(ingestSpec, args);
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('ingest needs the report FILE to load');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (ingest loads one FILE)`);
  const config = loadConfigOrExit();
  const asOf = values['as-of'] ?? dateIn(config.TZ, new Date());
  if (!isIsoDate(asOf)) throw new UsageError(`--as-of: a date as YYYY-MM-DD, not "${asOf}"`);
  const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB);
  // The loader reports steps (archived, lines read, every 10,000 rows of the row reader), not a total.
  const progress = startProgress({ label: `scaleflow ingest ${basename(file)}`, unit: 'steps' });
  let steps = 0;
  try {
    await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
    const result = await loadStrategisFile(
      warehouse,
      { path: file, source: 'cli', asOf },
      {
        archiveDir: config.ARCHIVE_DIR,
        progress: (step) => {
          progress.update(++steps);
          progress.note(step);
        },
      },
    );
    progress.finish(`${result.data_lines} lines read, ${result.accepted} accepted, ${result.quarantined} quarantined`);
    console.log(JSON.stringify(summaryLine(result)));
  } catch (err) {
    progress.finish('stopped');
    if (!(err instanceof NotAStrategisReportError)) throw err;
    console.error(`scaleflow: ${file}: ${err.message}`);
    return 1;
  } finally {
    warehouse.close();
  }
}
