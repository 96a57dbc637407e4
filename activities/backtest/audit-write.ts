import { GENESIS, chainHash, type AuditEvent } from '../approvals/audit';
import { sqlFile } from '../sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * Appends a `written` audit row at a simulated instant, on the same hash chain as every other
 * row, so `executed_changes` (and through it the cooldown and the launches' time to decision)
 * reads the backtest's changes exactly as it reads real ones.
 */
export async function recordWriteAt(warehouse: Warehouse, e: AuditEvent, atMs: number): Promise<void> {
  const details = JSON.stringify(e.details);
  const last = await warehouse.one<{ hash: string }>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const prev = last?.hash ?? GENESIS;
  await warehouse.run(sqlFile('backtest/record_write'), [
    e.event,
    e.workflowId,
    e.runId,
    e.campaignId,
    e.owner,
    e.actor?.who ?? null,
    null,
    null,
    details,
    prev,
    chainHash(prev, e, details),
    atMs,
  ]);
}
