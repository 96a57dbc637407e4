import { ApplicationFailure } from '@temporalio/activity';
import { GENESIS, rowHash, type ChainRow } from '../../lib/approvals/audit-chain';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { sqlFile } from '../../services/warehouse/sql';
import { appendHeadLine, auditHeadPath } from '../../services/audit/audit-head';

export interface AuditEvent {
  event: string;
  workflowId: string;
  runId: string;
  campaignId: string;
  owner: string;
  actor?: { who: string; ip?: string; userAgent?: string };
  details: Record<string, unknown>;
}

/** A row as `scaleflow audit` lists it: the chained columns, with the time as a timestamp. */
export type AuditRow = Omit<ChainRow, 'recorded_us'> & { recorded_at: string };

/** How appends are chained: the HMAC key (AUDIT_SECRET) and the head file beside the warehouse (none for :memory:). */
export interface AuditChainKey {
  key: string;
  headFile: string | null;
}

export function auditChainKey(warehouse: Warehouse, secret: string): AuditChainKey {
  return { key: secret, headFile: auditHeadPath(warehouse.path) };
}

/** Every row as the chain hashes it, in seq order (`lastOnly`: just the newest). */
export async function chainRows(warehouse: Warehouse, lastOnly = false): Promise<ChainRow[]> {
  return warehouse.all<ChainRow>(sqlFile('approvals/audit_chain_rows'), [lastOnly]);
}

export class AuditTailError extends Error {
  constructor(seq: number) {
    super(
      `audit_log seq ${seq} does not verify under AUDIT_SECRET, so nothing is appended after it: the log was written by the unkeyed code ` +
        '(stop the worker and run `scaleflow audit --rechain` once), AUDIT_SECRET is not the key it was written with, or the row was edited (`scaleflow audit --verify`)',
    );
    this.name = 'AuditTailError';
  }
}

/** Why nothing can be appended to this log under `key` (its last row does not verify), or null. */
export async function auditTailProblem(warehouse: Warehouse, key: string): Promise<string | null> {
  const [last] = await chainRows(warehouse, true);
  return last && rowHash(key, last) !== last.hash ? new AuditTailError(last.seq).message : null;
}

/**
 * Appends one row on the keyed chain, then its head to the head file (fsynced). `atMs` records it
 * at that instant instead of now (the backtest's simulated clock); callers serialise appends,
 * since each row hashes the one before. A row the same workflow event already appended is a no-op.
 * The last row must verify under the key first: a keyed row is never stacked on an unkeyed or
 * edited one, so one algorithm verifies the whole log.
 */
export async function appendAuditRow(
  warehouse: Warehouse,
  chain: AuditChainKey,
  e: AuditEvent,
  atMs: number | null = null,
): Promise<void> {
  const done = await warehouse.one(sqlFile('approvals/audit_row_exists'), [e.workflowId, e.runId, e.event]);
  if (done) return;
  const [last] = await chainRows(warehouse, true);
  if (last && rowHash(chain.key, last) !== last.hash) throw new AuditTailError(last.seq);
  const at = new Date(atMs ?? Date.now());
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    recorded_us: String(BigInt(at.getTime()) * 1000n),
    event: e.event,
    workflow_id: e.workflowId,
    run_id: e.runId,
    campaign_id: e.campaignId,
    owner: e.owner,
    actor: e.actor?.who ?? null,
    actor_ip: e.actor?.ip ?? null,
    actor_agent: e.actor?.userAgent ?? null,
    details: JSON.stringify(e.details),
    prev_hash: last?.hash ?? GENESIS,
  };
  const hash = rowHash(chain.key, fields);
  await warehouse.run(sqlFile('approvals/append_audit'), [
    fields.seq,
    fields.recorded_us,
    fields.event,
    fields.workflow_id,
    fields.run_id,
    fields.campaign_id,
    fields.owner,
    fields.actor,
    fields.actor_ip,
    fields.actor_agent,
    fields.details,
    fields.prev_hash,
    hash,
  ]);
  if (chain.headFile) await appendHeadLine(chain.headFile, { seq: fields.seq, hash }, at);
}

export function createAuditActivities({ warehouse, secret }: { warehouse: Warehouse; secret: string | undefined }) {
  // Appends are serialised in this process (the only one that owns the file), so the chain never forks.
  let tail: Promise<unknown> = Promise.resolve();

  return {
    /** Appends one audit row; a retry of the same workflow event is a no-op. */
    async appendAudit(e: AuditEvent): Promise<void> {
      // The worker refuses to start without the key (worker-main); this guards workers made in process.
      if (!secret)
        throw ApplicationFailure.nonRetryable(
          'AUDIT_SECRET is not set: the audit log cannot be appended to',
          'ConfigError',
        );
      const chain = auditChainKey(warehouse, secret);
      const next = tail.then(() => appendAuditRow(warehouse, chain, e));
      tail = next.catch(() => undefined);
      try {
        await next;
      } catch (err) {
        // Retrying cannot fix a tail the key does not verify: an operator must look first.
        if (err instanceof AuditTailError) throw ApplicationFailure.nonRetryable(err.message, 'AuditTailError');
        throw err;
      }
    },
  };
}

export async function listAudit(
  warehouse: Warehouse,
  filter: { campaignId?: string; since?: string },
): Promise<AuditRow[]> {
  return warehouse.all<AuditRow>(sqlFile('approvals/list_audit'), [filter.campaignId ?? null, filter.since ?? null]);
}
