import { parseArgs } from 'node:util';
import { listAudit, verifyChain } from '../../../activities/approvals/audit';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { isIsoDate } from '../../../lib/dates';
import { loadConfigOrExit } from '../../config-env';
import { UsageError } from '../usage';

/** `scaleflow audit [--campaign ID] [--since DATE] [--verify] [--db FILE]`: one JSON line per audit row. */
export async function audit(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { campaign: { type: 'string' }, since: { type: 'string' }, verify: { type: 'boolean', default: false }, db: { type: 'string' } },
  });
  if (values.since && !isIsoDate(values.since)) throw new UsageError('--since takes a date as YYYY-MM-DD');
  const warehouse = await Warehouse.open(values.db ?? loadConfigOrExit().SCALEFLOW_DB, { readOnly: true });
  try {
    if (values.verify) {
      const verdict = verifyChain(await listAudit(warehouse, {}));
      console.log(JSON.stringify(verdict));
      return verdict.ok ? 0 : 1;
    }
    for (const row of await listAudit(warehouse, { campaignId: values.campaign, since: values.since })) {
      console.log(JSON.stringify({ ...row, details: JSON.parse(row.details) }));
    }
    return 0;
  } finally {
    warehouse.close();
  }
}
