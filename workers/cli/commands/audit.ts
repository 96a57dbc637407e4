import { auditHeadPath, HeadFileError, readLastHead, readReportedHeads } from '../../../services/audit/audit-head';
import { chainRows, listAudit } from '../../../activities/approvals/audit';
import { rechainLegacy } from '../../../services/audit/audit-rechain';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { verifyChain, verifyReportedHeads } from '../../../lib/approvals/audit-chain';
import { ConfigError } from '../../../lib/config';
import { isIsoDate } from '../../../lib/dates';
import { loadConfigOrExit } from '../../config-env';
import { dbOption, defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const auditSpec = defineCommand({
  name: 'audit',
  options: {
    campaign: { type: 'string', value: 'ID', help: "one campaign's rows" },
    since: { type: 'string', value: 'DATE', help: 'rows from this day on' },
    verify: {
      type: 'boolean',
      help: 'recompute the keyed chain (AUDIT_SECRET), compare its end with the head file and every head the saved daily reports recorded (REPORTS_DIR); exit 1 naming the first bad row',
    },
    rechain: {
      type: 'boolean',
      help: 'once after upgrading: check the old unkeyed chain, then key every row with AUDIT_SECRET (worker stopped)',
    },
    db: dbOption,
  },
  about:
    "The append-only audit log, one JSON line a row: proposals, decisions (who, when, IP, browser), writes\n(old and new value, Meta's answer), outcomes.",
});

/** `scaleflow audit [--campaign ID] [--since DATE] [--verify | --rechain] [--db FILE]`: one JSON line per audit row. */
export async function audit(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(auditSpec, args);
  if (values.since && !isIsoDate(values.since)) throw new UsageError('--since takes a date as YYYY-MM-DD');
  if (values.verify && values.rechain) throw new UsageError('--verify and --rechain are separate steps: give one');
  const config = loadConfigOrExit();
  const db = values.db ?? config.SCALEFLOW_DB;
  if (!values.verify && !values.rechain) return print(db, values.campaign, values.since);
  // Only the environment holds the key: a key read from a file beside the warehouse could have been planted with it.
  if (!config.AUDIT_SECRET)
    throw new ConfigError([
      'AUDIT_SECRET is not set: the audit chain is keyed with it, so it cannot be checked or re-chained without it',
    ]);
  const headFile = auditHeadPath(db)!;
  try {
    if (values.rechain) {
      const warehouse = await Warehouse.open(db);
      try {
        const result = await rechainLegacy(warehouse, config.AUDIT_SECRET, headFile);
        console.log(JSON.stringify(result));
        return result.ok ? 0 : 1;
      } finally {
        warehouse.close();
      }
    }
    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const rows = await chainRows(warehouse);
      // Then the copies the daily reports keep: they catch a cut the head file was cut with.
      const chained = verifyChain(rows, config.AUDIT_SECRET, readLastHead(headFile));
      const verdict = (chained.ok && verifyReportedHeads(rows, await readReportedHeads(config.REPORTS_DIR))) || chained;
      console.log(JSON.stringify(verdict));
      return verdict.ok ? 0 : 1;
    } finally {
      warehouse.close();
    }
  } catch (err) {
    if (!(err instanceof HeadFileError)) throw err;
    console.log(JSON.stringify({ ok: false, differs: 'head', detail: err.message }));
    return 1;
  }
}

async function print(db: string, campaignId: string | undefined, since: string | undefined): Promise<number> {
  const warehouse = await Warehouse.open(db, { readOnly: true });
  try {
    for (const row of await listAudit(warehouse, { campaignId, since })) {
      console.log(JSON.stringify({ ...row, details: JSON.parse(row.details) }));
    }
    return 0;
  } finally {
    warehouse.close();
  }
}
