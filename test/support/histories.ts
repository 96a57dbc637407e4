import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '../../workers/history-json';

/**
 * With SCALEFLOW_RECORD_HISTORIES=1, saves a finished run's history into test/histories/ for the
 * replay test (test/replay.test.ts). Record again when a workflow changes on purpose, and keep the
 * old file too while runs of the old code may still be open.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.SCALEFLOW_RECORD_HISTORIES !== '1') return;
  const file = fileURLToPath(new URL(`../histories/${name}.json`, import.meta.url));
  writeFileSync(file, `${historyToJSON(await handle.fetchHistory())}\n`);
}
