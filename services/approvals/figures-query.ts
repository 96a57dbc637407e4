import { PROPOSAL_FIGURE_DAYS } from '../../lib/approvals/figures';
import type { ProposalFigures } from '../../lib/approvals/proposal';
import { addDays, yesterdayOf } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * The recent days behind each proposal of a day, read once for all of them, so each proposal can
 * carry its own (14 small rows) into its budgetChange workflow and the approval page reads only
 * Temporal.
 */
export async function proposalFigures(
  warehouse: Warehouse,
  campaignIds: string[],
  asOf: string,
): Promise<Map<string, ProposalFigures>> {
  const figures = new Map<string, ProposalFigures>(
    campaignIds.map((id) => [id, { windowDays: PROPOSAL_FIGURE_DAYS, days: [] }]),
  );
  if (campaignIds.length === 0) return figures;
  const yesterday = yesterdayOf(asOf);
  const rows = await warehouse.all<{ campaign_id: string; date: string; spend: string; revenue: string }>(
    sqlFile('approvals/proposal_days'),
    [JSON.stringify(campaignIds), addDays(yesterday, -(PROPOSAL_FIGURE_DAYS - 1)), yesterday],
  );
  for (const row of rows) {
    figures
      .get(row.campaign_id)
      ?.days.push({ date: row.date, spendCents: toCents(row.spend), revenueCents: toCents(row.revenue) });
  }
  return figures;
}
