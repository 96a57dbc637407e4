import { sqlFile } from './sql';
import type { Warehouse } from './warehouse';

/**
 * Brings campaign_days (migration 021) up to date with campaign_daily_facts. `load`: the campaign
 * days a load's accepted rows name (strateg.is's checked rows, inserted or restated), run inside the
 * load's transaction so a reader never sees the facts and their roll-up disagree. `all`: every day,
 * for facts written another way (the benchmark's generated rows, a test's fixture). Then the
 * per-campaign totals of the dashboard's standard windows (migration 024), from the days.
 */
export async function refreshCampaignDays(warehouse: Warehouse, scope: 'load' | 'all'): Promise<void> {
  if (scope === 'all') await warehouse.run(sqlFile('warehouse/rebuild_campaign_days'));
  else await refreshTouched(warehouse);
  // What the dashboard's standard windows hold follows from campaign_days, so it moves with them.
  await warehouse.run(sqlFile('warehouse/refresh_window_totals'));
}

async function refreshTouched(warehouse: Warehouse): Promise<void> {
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE campaign_days_touched AS
     SELECT DISTINCT date, campaign_id FROM strategis_checked WHERE reason IS NULL AND NOT is_total`,
  );
  await warehouse.run(sqlFile('warehouse/refresh_campaign_days'));
  await warehouse.run('DROP TABLE campaign_days_touched');
}
