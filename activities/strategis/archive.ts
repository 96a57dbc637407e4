import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse';

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * Keeps the file's bytes unchanged under its sha256 before anything parses it, and records it in
 * raw_files. The same bytes arriving again keep their first record.
 */
export async function archiveFile(
  warehouse: Warehouse,
  archiveDir: string,
  buf: Buffer,
  meta: { sha256: string; source: string; name: string },
): Promise<string> {
  mkdirSync(archiveDir, { recursive: true });
  const archivePath = join(archiveDir, `${meta.sha256}.csv`);
  try {
    writeFileSync(archivePath, buf, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await warehouse.run(
    `INSERT INTO raw_files (sha256, bytes, source, original_name, archive_path) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sha256) DO NOTHING`,
    [meta.sha256, buf.length, meta.source, meta.name, archivePath],
  );
  return archivePath;
}
