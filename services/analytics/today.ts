import type { IsoDate } from '../../lib/dates';
import { judgeToday, todayAlerts, todayTotals, TODAY_NOTE, type TodayRow } from '../../lib/metrics/today';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * The dashboard's date_range=today: each budget entity's latest completed hourly snapshot taken on
 * the team's day `asOf` (config TZ), its own day and hours cut in its ad account's zone.
 */
export async function todayDashboard(
  warehouse: Warehouse,
  { asOf, owner, timeZone }: { asOf: IsoDate; owner: string; timeZone: string },
) {
  const rows = await warehouse.all<TodayRow>(sqlFile('metrics/today'), { as_of: asOf, owner, tz: timeZone });
  const entities = rows.map(judgeToday);
  return {
    as_of: asOf,
    date_range: 'today' as const,
    owner,
    provisional: true as const,
    note: TODAY_NOTE,
    totals: todayTotals(entities),
    alerts: todayAlerts(entities),
    entities,
  };
}
