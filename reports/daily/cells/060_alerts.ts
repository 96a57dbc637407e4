import type { CellData } from '../../../lib/reports/cell';

/** How many alerts wait for a click, have no proposal yet, or were decided (the rest of the sentence). */
export function facts({ rows }: CellData) {
  const state = (r: (typeof rows)[number]) => String(r.approval_state);
  return {
    awaiting: rows.filter((r) => state(r) === 'awaiting approval').length,
    unproposed: rows.filter((r) => state(r) === 'no proposal yet').length,
    decided: rows.filter((r) => r.decided_by !== null).length,
    approved: rows.filter((r) => r.decided_by !== null && state(r).startsWith('approved')).length,
  };
}
