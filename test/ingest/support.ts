import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStrategisFile, type LoadOptions } from '../../services/strategis/load';
import { Warehouse } from '../../services/warehouse/warehouse';
import type { IngestResult } from '../../lib/strategis/ingest';

export const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
export const AS_OF = '2025-10-13';

export function scratch(prefix = 'scaleflow-ingest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Loads a file into a warehouse the caller owns, as `scaleflow ingest` would. */
export function load(
  warehouse: Warehouse,
  path: string,
  options: Partial<LoadOptions> & { asOf?: string } = {},
): Promise<IngestResult> {
  return loadStrategisFile(
    warehouse,
    { path, source: 'cli', asOf: options.asOf ?? AS_OF },
    { archiveDir: options.archiveDir ?? scratch('scaleflow-archive-'), reader: options.reader },
  );
}

export async function freshWarehouse(): Promise<Warehouse> {
  return Warehouse.open(':memory:');
}
