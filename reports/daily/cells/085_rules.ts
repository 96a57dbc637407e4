import type { CellData } from '../../../lib/reports/cell';

/** Counts for the sentence (the template's `sum` is for money). */
export function facts({ rows }: CellData) {
  const total = (column: string) => rows.reduce((n, r) => n + Number(r[column] ?? 0), 0);
  return { proposed: total('proposed'), taken: total('taken'), held: total('held'), errors: total('errors') };
}
