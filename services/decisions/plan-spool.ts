import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A day's budget-change plan kept in SPOOL_DIR while the daily pipeline starts its children: the
 * plan grows with the alerts (a proposal is about 1 KB; 2,000 campaigns made 705 KB), so the
 * workflow holds a key and reads the plan back a page at a time rather than carrying it whole
 * through its history. Written to a temporary name and renamed, so a reader sees all of it or none.
 */
const KEY = /^plans\/\d{4}-\d{2}-\d{2}\/[A-Za-z0-9-]{1,80}\.json$/;

export const planKey = (asOf: string, runId: string): string => `plans/${asOf}/${runId}.json`;

function pathOf(spoolDir: string, key: string): string {
  // The key comes back from workflow history: never let it name a file outside the spool.
  if (!KEY.test(key)) throw new Error(`not a budget-change plan key: ${JSON.stringify(key)}`);
  return join(spoolDir, key);
}

export async function writePlan(spoolDir: string, key: string, plan: unknown[]): Promise<void> {
  const path = pathOf(spoolDir, key);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(plan));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** The plan, or null once it was removed (its alerts were marked and the run needs it no more). */
export async function readPlan<T>(spoolDir: string, key: string): Promise<T[] | null> {
  try {
    return JSON.parse(await readFile(pathOf(spoolDir, key), 'utf8')) as T[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function removePlan(spoolDir: string, key: string): Promise<void> {
  await rm(pathOf(spoolDir, key), { force: true });
}
