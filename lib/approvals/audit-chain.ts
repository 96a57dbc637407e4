import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * The audit log's hash chain. Each row's hash is HMAC-SHA256, keyed with AUDIT_SECRET, over every
 * column (seq and recorded_at included) and the previous row's hash, so nobody without the key can
 * edit a row and recompute the chain. The columns are encoded as one JSON array: JSON quotes and
 * escapes each value and tells null from "null", so two different rows never share an encoding
 * (a plain join could: "a|b" + "c" and "a" + "b|c").
 */
export const GENESIS = '0'.repeat(64);
const VERSION = 'scaleflow.audit.v2';

/** A row as the chain sees it: the text DuckDB stores (details unparsed), recorded_at in epoch µs. */
export interface ChainRow {
  seq: number;
  recorded_us: string;
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

export type ChainFields = Omit<ChainRow, 'hash'>;

export function canonicalRow(r: ChainFields): string {
  return JSON.stringify([
    VERSION,
    String(r.seq),
    r.recorded_us,
    r.event,
    r.workflow_id,
    r.run_id,
    r.campaign_id,
    r.owner,
    r.actor,
    r.actor_ip,
    r.actor_agent,
    r.details,
    r.prev_hash,
  ]);
}

export function rowHash(key: string, r: ChainFields): string {
  return createHmac('sha256', key).update(canonicalRow(r)).digest('hex');
}

/** What the code before the keyed chain computed (plain SHA-256 over some columns): only to recognise its rows. */
export function legacyHash(r: ChainRow): string {
  let details: string;
  try {
    details = JSON.stringify(JSON.parse(r.details));
  } catch {
    return '';
  }
  const body = JSON.stringify([r.event, r.workflow_id, r.run_id, r.campaign_id, r.owner, r.actor, details]);
  return createHash('sha256').update(r.prev_hash).update(body).digest('hex');
}

/** One line of the head file: the chain's last row after an append. */
export const headLineSchema = z.strictObject({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
});
export type HeadLine = z.infer<typeof headLineSchema>;

export type Verdict =
  | { ok: true; rows: number; head: { seq: number; hash: string } | null }
  | { ok: false; seq: number; differs: 'hash' | 'prev_hash' | 'missing' | 'head' | 'report_head'; detail: string };

/**
 * Walks the chain from the first row and compares its end with the head kept outside the
 * warehouse; the first row that does not hold is the verdict. `head` is the head file's last line,
 * or null when there is no head file (only a log that has never been appended to may lack one).
 */
export function verifyChain(rows: ChainRow[], key: string, head: HeadLine | null): Verdict {
  let prev = GENESIS;
  for (const row of rows) {
    if (row.prev_hash !== prev) {
      return {
        ok: false,
        seq: row.seq,
        differs: 'prev_hash',
        detail: `prev_hash is not the hash of the row before it (${prev.slice(0, 12)}…): a row before seq ${row.seq} was deleted or re-chained`,
      };
    }
    if (rowHash(key, row) !== row.hash) {
      const legacy = legacyHash(row) === row.hash;
      return {
        ok: false,
        seq: row.seq,
        differs: 'hash',
        detail: legacy
          ? 'the hash is the old unkeyed SHA-256: written before the chain was keyed (run `scaleflow audit --rechain` once after upgrading), or edited and re-hashed without AUDIT_SECRET'
          : 'the columns do not match the hash under AUDIT_SECRET: the row was edited (or AUDIT_SECRET is not the key it was written with)',
      };
    }
    prev = row.hash;
  }
  const last = rows.at(-1);
  if (!head) {
    if (!last) return { ok: true, rows: 0, head: null };
    return {
      ok: false,
      seq: rows[0]!.seq,
      differs: 'head',
      detail:
        'the head file is missing, so the end of the log cannot be checked: it was deleted, or this is not where the worker wrote it',
    };
  }
  if (!last || last.seq < head.seq) {
    const from = last ? last.seq + 1 : 1;
    return {
      ok: false,
      seq: from,
      differs: 'missing',
      detail: last
        ? `the log ends at seq ${last.seq} but the head file's last append is seq ${head.seq}: rows ${from}–${head.seq} were deleted`
        : `the log is empty but the head file's last append is seq ${head.seq}: every row was deleted`,
    };
  }
  const atHead = rows.find((r) => r.seq === head.seq);
  if (!atHead || atHead.hash !== head.hash) {
    return {
      ok: false,
      seq: head.seq,
      differs: 'head',
      detail: `the head file says seq ${head.seq} has hash ${head.hash.slice(0, 12)}…, the log says ${atHead ? `${atHead.hash.slice(0, 12)}…` : 'no such row'}: the log was rewritten from there`,
    };
  }
  if (last.seq !== head.seq) {
    const next = rows[rows.indexOf(atHead) + 1]!;
    return {
      ok: false,
      seq: next.seq,
      differs: 'head',
      detail: `rows after the head file's last append (seq ${head.seq}) were never recorded in it: appended behind the worker's back, or the head file was cut`,
    };
  }
  return { ok: true, rows: rows.length, head: { seq: head.seq, hash: head.hash } };
}

/** A copy of the head kept elsewhere: the daily report's "Audit log" cell, as that day saw it. */
export interface ReportedHead {
  source: string;
  seq: number;
  hash: string;
}

/**
 * The chain against the heads the daily reports recorded. The head file sits beside the DuckDB
 * file, so whoever can cut the log can cut it too; a report already mailed and saved elsewhere
 * still names the row the log reached that day, and that row must still be there with that hash.
 */
export function verifyReportedHeads(rows: ChainRow[], reported: ReportedHead[]): Verdict | null {
  const bySeq = new Map(rows.map((r) => [r.seq, r.hash]));
  for (const head of [...reported].sort((a, b) => a.seq - b.seq)) {
    const hash = bySeq.get(head.seq);
    if (hash === head.hash) continue;
    return {
      ok: false,
      seq: head.seq,
      differs: 'report_head',
      detail: `${head.source} recorded seq ${head.seq} with hash ${head.hash.slice(0, 12)}…, the log ${hash ? `has ${hash.slice(0, 12)}…` : 'has no such row'}: the log was cut or rewritten after that report was made`,
    };
  }
  return null;
}
