import { z } from 'zod';
import { isoDateSchema } from '../../lib/dates';
import { levelSchema, type Level } from '../../lib/levels';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export const outcomesQuerySchema = z
  .object({
    start: isoDateSchema.default('1970-01-01'),
    end: isoDateSchema.default('9999-12-31'),
    owner: z.string().min(1).default('all'),
    /** Each check is of the entity the change was made to: `auto` every check, else that level's only. */
    level: levelSchema.default('auto'),
  })
  .refine((q) => q.start <= q.end, { error: 'start must be on or before end', path: ['start'] });
export type OutcomesQuery = z.infer<typeof outcomesQuerySchema>;

/** `GET /api/facebook/outcomes` and `scaleflow outcomes`: each check, and accuracy by rule and owner. */
export async function outcomesReport(warehouse: Warehouse, q: Omit<OutcomesQuery, 'level'> & { level?: Level }) {
  const params = [q.start, q.end, q.owner.toLowerCase(), q.level ?? 'auto'];
  const [accuracy, checks] = await Promise.all([
    warehouse.all(sqlFile('approvals/accuracy'), params),
    warehouse.all(sqlFile('approvals/outcome_list'), params),
  ]);
  return { accuracy, checks };
}
