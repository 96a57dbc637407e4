import { sqlFile } from './sql';
import type { Warehouse } from './warehouse';

/**
 * Which campaign days to roll up again: those a load's accepted rows name (strateg.is's checked
 * rows, inserted or restated), or every day in the facts (a file whose facts were written another
 * way: the benchmark's generated rows, a test's fixture).
 */
const TOUCHED = {
  load: `SELECT DISTINCT date, campaign_id FROM strategis_checked WHERE reason IS NULL AND NOT is_total`,
  all: `SELECT DISTINCT date, campaign_id FROM campaign_daily_facts`,
} as const;

/**
 * Brings campaign_days (migration 021) up to date with campaign_daily_facts for the touched keys.
 * Runs inside the caller's transaction when there is one (the load's), so a reader never sees the
 * facts and their roll-up disagree.
 */
export async function refreshCampaignDays(warehouse: Warehouse, scope: keyof typeof TOUCHED): Promise<void> {
  await warehouse.run(`CREATE OR REPLACE TEMP TABLE campaign_days_touched AS ${TOUCHED[scope]}`);
  await warehouse.run(sqlFile('warehouse/refresh_campaign_days'));
  await warehouse.run('DROP TABLE campaign_days_touched');
}
