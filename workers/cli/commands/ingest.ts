import { parseArgs } from 'node:util';
import { seedCampaignMap } from '../../../activities/strategis/campaign-map';
import { loadStrategisFile } from '../../../activities/strategis/load';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { dateIn, isIsoDate } from '../../../lib/dates';
import { NotAStrategisReportError } from '../../../lib/strategis/columns';
import { summaryLine } from '../../../lib/strategis/ingest';
import { loadConfigOrExit } from '../../config-env';
import { UsageError } from '../usage';

/**
 * `scaleflow ingest FILE [--db FILE] [--as-of DATE]`: loads one strateg.is file with the worker
 * stopped and prints {file, sha256, accepted, quarantined, skipped, restated, batch_id}.
 */
export async function ingest(args: string[]): Promise<number | void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, 'as-of': { type: 'string' } } });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('usage: scaleflow ingest FILE [--db FILE] [--as-of YYYY-MM-DD]');
  const config = loadConfigOrExit();
  const asOf = values['as-of'] ?? dateIn(config.TZ, new Date());
  if (!isIsoDate(asOf)) throw new UsageError(`--as-of: a date as YYYY-MM-DD, not "${asOf}"`);
  const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB);
  try {
    await seedCampaignMap(warehouse, config.CAMPAIGN_MAP_FILE);
    const result = await loadStrategisFile(warehouse, { path: file, source: 'cli', asOf }, { archiveDir: config.ARCHIVE_DIR });
    console.log(JSON.stringify(summaryLine(result)));
  } catch (err) {
    if (!(err instanceof NotAStrategisReportError)) throw err;
    console.error(`scaleflow: ${file}: ${err.message}`);
    return 1;
  } finally {
    warehouse.close();
  }
}
