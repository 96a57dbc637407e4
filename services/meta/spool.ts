import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import {
  spoolFileSchema,
  spoolHourDir,
  spoolPageRefSchema,
  spoolPagePath,
  type SpoolFile,
  type SpoolPageRef,
} from '../../lib/meta/spool';

/**
 * The spool directory (SPOOL_DIR) shared by the meta workers and the warehouse. A page is written
 * to a temporary name, flushed, then renamed over its final name: a reader sees the whole page or
 * none of it, and a retried read replaces the page rather than adding a second one.
 */
export async function writeSpoolPage(spoolDir: string, file: SpoolFile): Promise<void> {
  await writeSpoolFile(spoolDir, spoolPagePath(file.ref), file);
}

/** Any spooled JSON (the breakdown sync's pages too), written whole or not at all. */
export async function writeSpoolFile(spoolDir: string, relativePath: string, content: unknown): Promise<void> {
  const path = join(spoolDir, relativePath);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(content));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export async function readSpoolPage(spoolDir: string, ref: SpoolPageRef): Promise<SpoolFile> {
  const path = join(spoolDir, spoolPagePath(ref));
  const file = spoolFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  if (spoolPagePath(file.ref) !== spoolPagePath(ref))
    throw new Error(`${path} holds ${spoolPagePath(file.ref)}, not the page asked for`);
  return file;
}

/** Once an hour is loaded its pages are no longer needed; removing them again is harmless. */
export async function removeSpoolHour(spoolDir: string, hour: string): Promise<void> {
  await rm(join(spoolDir, spoolHourDir(hour)), { recursive: true, force: true });
}

/** A page reference from an activity's input, or a non-retryable InvalidInput naming the bad field. */
export function spoolRef(raw: SpoolPageRef): SpoolPageRef {
  const parsed = spoolPageRefSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw ApplicationFailure.nonRetryable(`spool page ${issue.path.join('.')}: ${issue.message}`, 'InvalidInput');
  }
  return parsed.data;
}
