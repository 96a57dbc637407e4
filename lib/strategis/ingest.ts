import { z } from 'zod';
import { isoDateSchema } from '../dates';

export { summaryLine } from './summary-line';

/** Where a file came from: the daily HTTP pull, the inbox folder, or `scaleflow ingest`. */
export const ingestSourceSchema = z.enum(['http', 'inbox', 'cli']);
export type IngestSource = z.infer<typeof ingestSourceSchema>;

export const ingestRequestSchema = z.object({
  path: z.string().min(1),
  source: ingestSourceSchema,
  /** The file's own name, for the quarantine view and the batch (defaults to the path's base name). */
  name: z.string().min(1).optional(),
  asOf: isoDateSchema,
});
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

/** The line `scaleflow ingest` prints, and what every load returns. */
export const ingestSummarySchema = z.object({
  file: z.string(),
  sha256: z.string(),
  accepted: z.number().int(),
  quarantined: z.number().int(),
  skipped: z.number().int(),
  restated: z.number().int(),
  batch_id: z.string(),
});
export type IngestSummary = z.infer<typeof ingestSummarySchema>;

export interface IngestResult extends IngestSummary {
  /** Records after the header: accepted + quarantined + skipped. */
  data_lines: number;
  /** Keys that were not stored before. */
  inserted: number;
  parser: 'sql' | 'rows';
  /** The same bytes were loaded before: this is that load's batch, and nothing changed now. */
  already_loaded: boolean;
}
