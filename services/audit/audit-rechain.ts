import { existsSync, statSync } from 'node:fs';
import { GENESIS, legacyHash, rowHash } from '../../lib/approvals/audit-chain';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { chainRows } from '../../activities/approvals/audit';
import { appendHeadLine } from './audit-head';

export type RechainResult =
  | { ok: true; rechained: number; head: { seq: number; hash: string } | null }
  | { ok: false; seq?: number; detail: string };

/**
 * The one-time step after upgrading from the unkeyed chain: checks every row against the old
 * SHA-256 chain (an edit made before the upgrade stops it here, naming the row), then re-hashes
 * every row with the key and writes the head. It refuses a log that is already keyed (a head file,
 * or any row the key verifies), so it can never launder an edit made after the upgrade.
 */
export async function rechainLegacy(warehouse: Warehouse, key: string, headFile: string): Promise<RechainResult> {
  if (existsSync(headFile) && statSync(headFile).size > 0) {
    return {
      ok: false,
      detail: `${headFile} exists: this log is already keyed, so there is nothing to re-chain (verify it with --verify)`,
    };
  }
  const rows = await chainRows(warehouse);
  let prev = GENESIS;
  for (const row of rows) {
    if (rowHash(key, row) === row.hash)
      return {
        ok: false,
        seq: row.seq,
        detail: `seq ${row.seq} is already keyed: only a log written entirely by the old code is re-chained`,
      };
    if (row.prev_hash !== prev || legacyHash(row) !== row.hash) {
      return {
        ok: false,
        seq: row.seq,
        detail: `seq ${row.seq} does not verify on the old unkeyed chain: it was edited before the upgrade; nothing was re-chained`,
      };
    }
    prev = row.hash;
  }
  // The append-only guard (Warehouse.run) refuses UPDATE on audit_log; this is the one rewrite
  // scaleflow makes, in one transaction, so the log is either all old or all keyed.
  const db = warehouse.connection;
  await db.run('BEGIN TRANSACTION');
  prev = GENESIS;
  try {
    for (const row of rows) {
      const hash = rowHash(key, { ...row, prev_hash: prev });
      await db.run(sqlFile('approvals/rechain_row'), [row.seq, prev, hash]);
      prev = hash;
    }
    await db.run('COMMIT');
  } catch (err) {
    await db.run('ROLLBACK');
    throw err;
  }
  warehouse.touched();
  const last = rows.at(-1);
  if (!last) return { ok: true, rechained: 0, head: null };
  await appendHeadLine(headFile, { seq: last.seq, hash: prev }, new Date());
  return { ok: true, rechained: rows.length, head: { seq: last.seq, hash: prev } };
}
