import { addDays } from '../../lib/dates';
import { toCents } from '../../lib/money';
import type { ControlWindows } from '../../lib/outcome-control';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

interface ControlRow {
  id: string;
  before_spend: string;
  before_revenue: string;
  after_spend: string;
  after_revenue: string;
}

/**
 * The unchanged entities an outcome check compares the change with: same owner or category, no
 * change of their own over the baseline and outcome weeks (the ROAS bucket is matched in lib/).
 */
export async function candidateControls(
  warehouse: Warehouse,
  change: { campaignId: string; owner: string; adset: boolean; changeDate: string; tz: string },
): Promise<ControlWindows[]> {
  const d = change.changeDate;
  const rows = await warehouse.all<ControlRow>(sqlFile('approvals/outcome_controls'), [
    change.campaignId,
    change.owner,
    addDays(d, -7),
    addDays(d, -1),
    addDays(d, 1),
    addDays(d, 7),
    change.tz,
    change.adset ? 'adset' : 'campaign',
  ]);
  const week = (spend: string, revenue: string) => ({
    spendCents: toCents(spend),
    revenueCents: toCents(revenue),
    days: 7,
  });
  return rows.map((r) => ({
    id: r.id,
    before: week(r.before_spend, r.before_revenue),
    after: week(r.after_spend, r.after_revenue),
  }));
}
