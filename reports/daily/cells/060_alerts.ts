import type { CellData } from '../../../lib/reports/cell';

/**
 * How many alerts wait for a click, have no proposal yet, or were decided (the rest of the
 * sentence), and whether as_of was evaluated at all: its status row (campaign_id null) is no alert.
 */
export function facts({ rows }: CellData) {
  const alerts = rows.filter((r) => r.campaign_id !== null);
  const state = (r: (typeof rows)[number]) => String(r.approval_state);
  return {
    unevaluated: rows.some((r) => r.campaign_id === null && r.campaigns_evaluated === 0),
    alerts: alerts.length,
    awaiting: alerts.filter((r) => state(r) === 'awaiting approval').length,
    unproposed: alerts.filter((r) => state(r) === 'no proposal yet').length,
    decided: alerts.filter((r) => r.decided_by !== null).length,
    approved: alerts.filter((r) => r.decided_by !== null && state(r).startsWith('approved')).length,
  };
}
