import { createHash } from 'node:crypto';
import type { Warehouse } from '../warehouse/warehouse';
import { sqlFile } from '../sql';

export interface AuditEvent {
  event: string;
  workflowId: string;
  runId: string;
  campaignId: string;
  owner: string;
  actor?: { who: string; ip?: string; userAgent?: string };
  details: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  recorded_at: string;
  event: string;
  workflow_id: string;
  run_id: string;
  campaign_id: string;
  owner: string;
  actor: string | null;
  actor_ip: string | null;
  actor_agent: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

export function chainHash(prevHash: string, e: AuditEvent, details: string): string {
  const body = JSON.stringify([e.event, e.workflowId, e.runId, e.campaignId, e.owner, e.actor?.who ?? null, details]);
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * Appends one row on the hash chain. `atMs` records it at that instant instead of now (the
 * backtest's simulated clock); callers serialise appends, since each row hashes the one before.
 */
export async function appendAuditRow(warehouse: Warehouse, e: AuditEvent, atMs: number | null = null): Promise<void> {
  const details = JSON.stringify(e.details);
  const last = await warehouse.one<{ hash: string }>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const prev = last?.hash ?? GENESIS;
  await warehouse.run(sqlFile('approvals/append_audit'), [
    e.event,
    e.workflowId,
    e.runId,
    e.campaignId,
    e.owner,
    e.actor?.who ?? null,
    e.actor?.ip ?? null,
    e.actor?.userAgent ?? null,
    details,
    prev,
    chainHash(prev, e, details),
    atMs,
  ]);
}

export function createAuditActivities({ warehouse }: { warehouse: Warehouse }) {
  // Appends are serialised in this process (the only one that owns the file), so the chain never forks.
  let tail: Promise<unknown> = Promise.resolve();

  return {
    /** Appends one audit row; a retry of the same workflow event is a no-op. */
    async appendAudit(e: AuditEvent): Promise<void> {
      const next = tail.then(() => appendAuditRow(warehouse, e));
      tail = next.catch(() => undefined);
      await next;
    },
  };
}

export async function listAudit(warehouse: Warehouse, filter: { campaignId?: string; since?: string }): Promise<AuditRow[]> {
  return warehouse.all<AuditRow>(sqlFile('approvals/list_audit'), [filter.campaignId ?? null, filter.since ?? null]);
}

/** Recomputes the hash chain; returns the first row that does not match (an edit made behind scaleflow's back). */
export function verifyChain(rows: AuditRow[]): { ok: true } | { ok: false; seq: number } {
  let prev = GENESIS;
  for (const row of rows) {
    const e: AuditEvent = {
      event: row.event,
      workflowId: row.workflow_id,
      runId: row.run_id,
      campaignId: row.campaign_id,
      owner: row.owner,
      actor: row.actor ? { who: row.actor } : undefined,
      details: {},
    };
    const details = JSON.stringify(JSON.parse(row.details));
    if (row.prev_hash !== prev || chainHash(prev, e, details) !== row.hash) return { ok: false, seq: row.seq };
    prev = row.hash;
  }
  return { ok: true };
}
