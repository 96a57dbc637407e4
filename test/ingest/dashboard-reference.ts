import { startOfDayIn, type IsoDate } from '../../lib/dates';
import type { Config } from '../../lib/config';
import type { ThresholdsConfig } from '../../lib/decisions';
import { buildDashboard, type CampaignWindowRow } from '../../lib/metrics/dashboard';
import { resolveWindow } from '../../lib/metrics/windows';
import type { dashboardQuerySchema } from '../../services/analytics/api';
import { decisionInputs, storedDashboardDecisions } from '../../services/decisions/stored';
import { loadAlertRules } from '../../services/rules/files';
import { sqlFile } from '../../services/warehouse/sql';
import type { Warehouse } from '../../services/warehouse/warehouse';

/**
 * The dashboard as the API made it before it was computed in SQL: every campaign's window row
 * (campaign_window.sql over campaign_days) into JS, then buildDashboard with the stored decisions.
 */
export async function referenceDashboard(
  warehouse: Warehouse,
  o: { config: Config; thresholds: ThresholdsConfig; asOf: IsoDate },
  q: ReturnType<typeof dashboardQuerySchema.parse>,
) {
  const { config, thresholds, asOf } = o;
  const window = resolveWindow(q, asOf);
  const rules = loadAlertRules(config.RULES_DIR);
  const at = { asOf, level: 'auto' as const, nowMs: startOfDayIn(config.TZ, asOf), timeZone: config.TZ };
  const inputs = await decisionInputs(warehouse, { ...at, rules, thresholds });
  const decided = await storedDashboardDecisions(warehouse, asOf, 'auto', inputs);
  if (!decided) throw new Error(`the stored decisions of ${asOf} are not current`);
  const campaigns = await warehouse.all<CampaignWindowRow>(sqlFile('metrics/campaign_window'), [
    window.start,
    window.end,
    q.owner,
  ]);
  return buildDashboard(campaigns, {
    filter: q.campaign_filter,
    openScaleUp: decided.scaleUpCampaigns,
    openScaleUpAdsets: decided.scaleUpAdsets,
    recommendationOf: (type, id) => decided.recommendations.get(`${type}/${id}`) ?? 'hold',
  });
}
