import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoDateSchema } from '../../lib/dates';
import { healthcheckInputSchema } from '../../lib/healthcheck';
import { breakdownSyncInputSchema } from '../../lib/meta/breakdowns';
import { workflowIds } from '../../lib/names';
import { UsageError } from './usage';

interface CatalogEntry {
  /** Its fields are `scaleflow run`'s flags, in kebab-case. */
  input: z.ZodObject;
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
  // Runs again on the same key: a re-read replaces the account's day.
  breakdownSync: {
    input: breakdownSyncInputSchema,
    workflowId: (input: { account: string; date: string }) => workflowIds.breakdownSync(input.account, input.date),
  },
};

export const flagOf = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const fieldOf = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function findWorkflow(name: string): CatalogEntry {
  const entry = Object.hasOwn(workflowCatalog, name) ? workflowCatalog[name] : undefined;
  if (!entry) throw new UsageError(`unknown workflow "${name}"; one of: ${Object.keys(workflowCatalog).join(', ')}`);
  return entry;
}

/** The input a workflow starts with, from its fields as given on the command line (camelCase keys). */
export function resolveWorkflow(name: string, fields: Record<string, string>) {
  const entry = findWorkflow(name);
  const parsed = entry.input.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${flagOf(String(issue.path[0] ?? 'arg'))}: ${issue.message}`);
  }
  return { input: parsed.data, workflowId: entry.workflowId(parsed.data as never), idReusePolicy: entry.idReusePolicy };
}
