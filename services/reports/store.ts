import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { columnsOf, fromIpc, rowsOf, toIpc } from '../../lib/reports/arrow';
import type { CellData } from '../../lib/reports/cell';

export const manifestSchema = z.object({
  version: z.literal(1),
  report: z.string(),
  asOf: z.string(),
  yesterday: z.string(),
  owner: z.string().nullable(),
  /** Added with the $tz parameter; manifests written before it read as the default zone. */
  timeZone: z.string().optional(),
  /** Added with the calibration cell; manifests written before it read as the default. */
  calibrationMinChecks: z.number().int().positive().optional(),
  cells: z.array(z.object({ id: z.string(), dataset: z.string().nullable(), missing: z.array(z.string()) })),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Write beside, then rename: a retried activity never leaves half a page or dataset behind. */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function writeDataset(dir: string, cellId: string, data: CellData): string {
  const file = join(dir, `${cellId}.arrow`);
  writeAtomic(file, toIpc(data.table));
  return file;
}

export function readDataset(file: string): CellData {
  const table = fromIpc(readFileSync(file));
  return { table, columns: columnsOf(table), rows: rowsOf(table) };
}

export function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
