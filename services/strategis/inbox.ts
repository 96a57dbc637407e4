import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../warehouse/warehouse';
import { NotAStrategisReportError } from '../../lib/strategis/columns';
import type { IngestResult } from '../../lib/strategis/ingest';
import { loadStrategisFile, type LoadOptions } from './load';

export interface InboxFile {
  file: string;
  result?: IngestResult;
  /** Set when the file is not a strateg.is report: it went to rejected/ and nothing was loaded. */
  rejected?: string;
}

/**
 * Loads every *.csv in the inbox (oldest name first), then moves it to loaded/ or rejected/, so
 * the next run sees only new files. A file that arrives twice is archived once and changes nothing.
 */
export async function loadInbox(
  warehouse: Warehouse,
  inboxDir: string,
  asOf: string,
  options: LoadOptions & { onFile?: (file: string) => void },
): Promise<InboxFile[]> {
  mkdirSync(inboxDir, { recursive: true });
  const names = readdirSync(inboxDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
    .map((e) => e.name)
    .sort();
  const done: InboxFile[] = [];
  for (const name of names) {
    options.onFile?.(name);
    const path = join(inboxDir, name);
    try {
      const result = await loadStrategisFile(warehouse, { path, source: 'inbox', name, asOf }, options);
      moveAside(inboxDir, 'loaded', name, result.sha256);
      done.push({ file: name, result });
    } catch (err) {
      if (!(err instanceof NotAStrategisReportError)) throw err;
      moveAside(inboxDir, 'rejected', name);
      done.push({ file: name, rejected: err.message });
    }
  }
  return done;
}

function moveAside(inboxDir: string, folder: string, name: string, sha256?: string): void {
  mkdirSync(join(inboxDir, folder), { recursive: true });
  // The same name may arrive again with new content; the sha keeps both.
  const target = sha256 ? `${sha256.slice(0, 12)}-${name}` : `${Date.now()}-${name}`;
  renameSync(join(inboxDir, name), join(inboxDir, folder, target));
}
