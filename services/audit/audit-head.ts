import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { headLineSchema, type HeadLine, type ReportedHead } from '../../lib/approvals/audit-chain';
import { isIsoDate } from '../../lib/dates';

/** The report cell that copies the head into each day's page and dataset. */
const AUDIT_HEAD_CELL = '097_audit_head';

/**
 * The audit chain's head kept outside the DuckDB file: one JSON line per append, in a file beside
 * it, so deleting the log's last rows (or all of them) leaves a head that no longer matches.
 * Opened for append only and fsynced before the append counts as done.
 */
export function auditHeadPath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}.audit-head`;
}

/**
 * Asynchronous, so the fsync (milliseconds on a busy disk) waits on libuv's pool instead of
 * blocking the event loop: at 544 proposals a day, two appends each, the worker's other activities
 * and the workflow thread's messages stood still for seconds. Appends are still serialised by
 * their callers and the line is on disk before this resolves.
 */
export async function appendHeadLine(file: string, head: { seq: number; hash: string }, at: Date): Promise<void> {
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.write(
      `${JSON.stringify({ seq: head.seq, hash: head.hash, at: at.toISOString() } satisfies HeadLine)}\n`,
    );
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class HeadFileError extends Error {
  constructor(file: string, line: number) {
    super(`${file}: line ${line} is not an audit head ({"seq":N,"hash":"<64 hex>","at":"..."})`);
    this.name = 'HeadFileError';
  }
}

/** The head file's last line, or null when there is no file (or it is empty). */
export function readLastHead(file: string): HeadLine | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  let last: HeadLine | null = null;
  lines.forEach((text, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HeadFileError(file, i + 1);
    }
    const line = headLineSchema.safeParse(parsed);
    if (!line.success) throw new HeadFileError(file, i + 1);
    last = line.data;
  });
  return last;
}

/** The heads the saved daily reports recorded (each page's "Audit log" dataset), oldest day first. */
export async function readReportedHeads(reportsDir: string): Promise<ReportedHead[]> {
  if (!existsSync(reportsDir)) return [];
  // Arrow loads only for a verify, not with every process that appends to the log.
  const { readDataset } = await import('../reports/store');
  const heads: ReportedHead[] = [];
  for (const day of readdirSync(reportsDir).filter(isIsoDate).sort()) {
    const dayDir = join(reportsDir, day);
    for (const scope of readdirSync(dayDir)) {
      const file = join(dayDir, scope, `${AUDIT_HEAD_CELL}.arrow`);
      if (!existsSync(file)) continue;
      for (const row of readDataset(file).rows) {
        if (row.head_seq === null || row.head_seq === undefined) continue;
        heads.push({
          source: `the report of ${day} (${scope})`,
          seq: Number(row.head_seq),
          hash: String(row.head_hash),
        });
      }
    }
  }
  return heads;
}
