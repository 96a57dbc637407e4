import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoDateSchema } from '../../lib/dates';
import { healthcheckInputSchema } from '../../lib/healthcheck';
import { workflowIds } from '../../lib/names';
import { UsageError } from './usage';

interface CatalogEntry {
  input: z.ZodType;
  /** The business key: starting the same work twice finds the existing run. */
  workflowId(input: never): string;
  /** REJECT_DUPLICATE: a finished run with the same id counts as existing too (one run per business key). */
  idReusePolicy?: 'REJECT_DUPLICATE';
}

/** The workflows `scaleflow run` can start, with their input schemas. */
export const workflowCatalog: Record<string, CatalogEntry> = {
  healthcheck: { input: healthcheckInputSchema, workflowId: () => workflowIds.healthcheck(randomUUID()) },
  dailyPipeline: {
    input: z.object({ date: isoDateSchema }),
    workflowId: (input: { date: string }) => workflowIds.daily(input.date),
    idReusePolicy: 'REJECT_DUPLICATE',
  },
};

export function resolveWorkflow(name: string, flags: Record<string, string>) {
  const entry = workflowCatalog[name];
  if (!entry) throw new UsageError(`unknown workflow "${name}"; one of: ${Object.keys(workflowCatalog).join(', ')}`);
  const parsed = entry.input.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0] ?? 'arg')}: ${issue.message}`);
  }
  return { input: parsed.data, workflowId: entry.workflowId(parsed.data as never), idReusePolicy: entry.idReusePolicy };
}
