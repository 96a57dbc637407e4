import { createHash, randomUUID } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse';

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export interface ArchivedFile {
  /** The archived bytes: what was hashed is what every reader parses. */
  buf: Buffer;
  sha256: string;
  archivePath: string;
}

/**
 * Keeps the file's bytes unchanged under their sha256 before anything parses them, and records it
 * in raw_files. The same bytes arriving again keep their first record and copy. The kernel copies
 * the file (much faster than writing it back from a buffer); the copy is then read and hashed, so
 * the name always matches the archived bytes even if the source changes meanwhile.
 */
export async function archiveFile(
  warehouse: Warehouse,
  archiveDir: string,
  path: string,
  meta: { source: string; name: string },
): Promise<ArchivedFile> {
  mkdirSync(archiveDir, { recursive: true });
  const incoming = join(archiveDir, `.incoming-${randomUUID()}`);
  let buf: Buffer;
  let hash: string;
  let archivePath: string;
  try {
    copyFileSync(path, incoming, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    buf = await readFile(incoming);
    hash = sha256(buf);
    archivePath = join(archiveDir, `${hash}.csv`);
    if (!existsSync(archivePath)) renameSync(incoming, archivePath);
  } finally {
    rmSync(incoming, { force: true });
  }
  await warehouse.run(
    `INSERT INTO raw_files (sha256, bytes, source, original_name, archive_path) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sha256) DO NOTHING`,
    [hash, buf.length, meta.source, meta.name, archivePath],
  );
  return { buf, sha256: hash, archivePath };
}
