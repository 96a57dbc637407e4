import type { IngestResult, IngestSummary } from './ingest';

/**
 * A load's summary fields, in the schema's order (what `ingestSummarySchema.parse` kept). Picked by
 * hand because dailyPipeline calls it and workflow code stays free of zod (lib/calendar.ts).
 */
export function summaryLine(result: IngestResult): IngestSummary {
  const { file, sha256, accepted, quarantined, skipped, restated, batch_id } = result;
  return { file, sha256, accepted, quarantined, skipped, restated, batch_id };
}
