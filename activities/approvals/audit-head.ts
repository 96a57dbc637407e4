import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { headLineSchema, type HeadLine } from '../../lib/approvals/audit-chain';

/**
 * The audit chain's head kept outside the DuckDB file: one JSON line per append, in a file beside
 * it, so deleting the log's last rows (or all of them) leaves a head that no longer matches.
 * Opened for append only and fsynced before the append counts as done.
 */
export function auditHeadPath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}.audit-head`;
}

export function appendHeadLine(file: string, head: { seq: number; hash: string }, at: Date): void {
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify({ seq: head.seq, hash: head.hash, at: at.toISOString() } satisfies HeadLine)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
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
