import { PROPOSAL_FIGURE_DAYS } from '../../lib/approvals/figures';
import type { ProposalFigures } from '../../lib/approvals/proposal';
import { addDays, yesterdayOf } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/** Whose days a proposal carries: a campaign's (rolled up) or an ad set's own. */
const DAYS_SQL = { campaign: 'approvals/proposal_days', adset: 'approvals/proposal_days_adset' } as const;

/**
 * The recent days behind each proposal of a day, read once for all of them, so each proposal can
 * carry its own (14 small rows) into its budgetChange workflow and the approval page reads only
 * Temporal. Keyed by campaign id, or by ad set id with `level` adset.
 */
export async function proposalFigures(
  warehouse: Warehouse,
  ids: string[],
  asOf: string,
  level: keyof typeof DAYS_SQL = 'campaign',
): Promise<Map<string, ProposalFigures>> {
  const figures = new Map<string, ProposalFigures>(
    ids.map((id) => [id, { windowDays: PROPOSAL_FIGURE_DAYS, days: [] }]),
  );
  if (ids.length === 0) return figures;
  const yesterday = yesterdayOf(asOf);
  const rows = await warehouse.all<{ id: string; date: string; spend: string; revenue: string }>(
    sqlFile(DAYS_SQL[level]),
    [JSON.stringify(ids), addDays(yesterday, -(PROPOSAL_FIGURE_DAYS - 1)), yesterday],
  );
  for (const row of rows) {
    figures
      .get(row.id)
      ?.days.push({ date: row.date, spendCents: toCents(row.spend), revenueCents: toCents(row.revenue) });
  }
  return figures;
}
