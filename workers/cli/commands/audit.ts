import { listAudit, verifyChain } from '../../../activities/approvals/audit';
import { Warehouse } from '../../../activities/warehouse/warehouse';
import { isIsoDate } from '../../../lib/dates';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const auditSpec = defineCommand({
  name: 'audit',
  options: {
    campaign: { type: 'string', value: 'ID', help: "one campaign's rows" },
    since: { type: 'string', value: 'DATE', help: 'rows from this day on' },
    verify: { type: 'boolean', help: 'recompute the hash chain instead; exit 1 naming the first bad row' },
    db: dbOption,
  },
  about: 'The append-only audit log, one JSON line a row: proposals, decisions (who, when, IP, browser), writes\n(old and new value, Meta\'s answer), outcomes.',
});

/** `scaleflow audit [--campaign ID] [--since DATE] [--verify] [--db FILE]`: one JSON line per audit row. */
export async function audit(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(auditSpec, args);
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
