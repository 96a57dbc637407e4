import { centsToString } from '../../lib/money';
import { dateOf, metaPurchaseValue, type Ledger, type Market } from '../../lib/simulator';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { SimulatedMeta } from './sim-meta';

/**
 * The hourly Meta sync's last hour of a simulated day, for the ad sets: every ad set's budget,
 * status, learning phase and audience type, with the day's spend and Meta's purchase value, in
 * meta_adset_snapshots under a completed meta_sync_runs hour (the production start/finish
 * statements), so meta_adset_state, meta_adset_days and the allocation in daily_adset_metrics
 * read it as they read the real sync's. Campaign budgets are not snapshotted: the backtest's
 * campaign decisions never read them, and leaving them out keeps campaign-level runs as they were.
 */
export async function syncAdsets(
  warehouse: Warehouse,
  market: Market,
  meta: SimulatedMeta,
  ledger: Ledger,
  day: number,
  snapshotHourMs: number,
): Promise<void> {
  const rows = market.specs.flatMap((spec, c) => {
    // Meta knows a campaign once the market announced it (its setup, or the day before its launch).
    const m = meta.indexOfMetaId(spec.meta_campaign_id);
    if (!spec.adsets || m === undefined) return [];
    const outcome = ledger.outcome(day, c);
    return spec.adsets.map((a, j) => {
      const state = meta.adsetState(m, j);
      const delivered = outcome.adsets?.[j] ?? { spendCents: 0, revenueCents: 0 };
      return {
        account_id: spec.account_id,
        meta_campaign_id: spec.meta_campaign_id,
        adset_id: a.adset_id,
        name: a.adset_name,
        status: state.status,
        effective_status: meta.state(m).status === 'PAUSED' ? 'CAMPAIGN_PAUSED' : state.status,
        daily_budget: centsToString(state.dailyBudgetCents),
        learning_status: meta.learningStatus(m, j, snapshotHourMs),
        audience_type: a.audienceType,
        report_date: dateOf(market, day),
        spend: centsToString(delivered.spendCents),
        purchase_value: centsToString(metaPurchaseValue(market.seed, c, j, day, delivered.revenueCents)),
      };
    });
  });
  if (rows.length === 0) return;
  const hour = new Date(snapshotHourMs).toISOString();
  await warehouse.transaction(async () => {
    await warehouse.run(sqlFile('meta/start_sync'), [hour]);
    await warehouse.run(sqlFile('backtest/insert_adset_snapshots'), [hour, JSON.stringify(rows)]);
    await warehouse.all(sqlFile('meta/finish_sync'), [hour]);
  });
}
