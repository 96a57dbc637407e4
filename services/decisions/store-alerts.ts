import type { Alert } from '../../lib/decisions';
import { centsToString, toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

const money = (dollars: number | undefined) => (dollars === undefined ? null : centsToString(toCents(dollars)));

/**
 * Upserts a day's alerts in one statement (one per alert took minutes at 22,200 campaigns); a re-run
 * of the day refreshes the numbers and keeps each alert's status. The engine's alerts and the
 * breakdown suggestions both go through here.
 */
export async function upsertAlerts(warehouse: Warehouse, asOf: string, alerts: readonly Alert[]): Promise<void> {
  if (!alerts.length) return;
  const rows = alerts.map((a) => ({
    entity_type: a.entity_type,
    entity_id: a.entity_id,
    campaign_id: a.campaign_id,
    adset_id: a.adset_id ?? null,
    audience_type: a.audience_type ?? null,
    revenue_source: a.revenue_source ?? null,
    type: a.type,
    owner: a.owner,
    priority: a.priority,
    current_roas: a.current_roas ?? null,
    recommendation: a.recommendation,
    potential_margin_gain: money(a.potential_margin_gain),
    daily_loss: money(a.daily_loss),
    reason: a.reason,
  }));
  await warehouse.run(sqlFile('pipeline/upsert_alerts'), [asOf, JSON.stringify(rows)]);
}

/**
 * The engine's alerts of the day exactly as it answered them, in its order (evaluated_alerts, migration
 * 024): what the alerts endpoint reads back while the day's stored decisions are current.
 */
export async function storeEvaluatedAlerts(warehouse: Warehouse, asOf: string, alerts: readonly Alert[]) {
  await warehouse.run('DELETE FROM evaluated_alerts WHERE as_of = $1::DATE', [asOf]);
  if (!alerts.length) return;
  const rows = alerts.map((a, position) => ({ position, owner: a.owner, alert: JSON.stringify(a) }));
  await warehouse.run(sqlFile('pipeline/store_evaluated_alerts'), [asOf, JSON.stringify(rows)]);
}

/** The day's stored engine alerts of one owner (or 'all'), in the engine's order. */
export async function storedAlerts(warehouse: Warehouse, asOf: string, owner: string): Promise<Alert[]> {
  const rows = await warehouse.all<{ alert: string }>(sqlFile('pipeline/stored_alerts'), [asOf, owner]);
  return rows.map((r) => JSON.parse(r.alert) as Alert);
}
