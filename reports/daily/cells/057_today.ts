import type { CellData } from '../../../lib/reports/cell';
import { judgeToday, todayAlerts, TODAY_NOTE, type TodayRow } from '../../../lib/metrics/today';

/** The alerts of today so far (they notify, never write to Meta), judged by lib/metrics/today.ts. */
export function facts({ rows }: CellData) {
  const entities = rows.map((r) =>
    judgeToday({ ...r, spend: String(r.spend), purchase_value: String(r.purchase_value) } as unknown as TodayRow),
  );
  const alerts = todayAlerts(entities);
  const kind = (type: string) => alerts.filter((a) => a.type === type);
  return {
    entities: entities.length,
    note: TODAY_NOTE,
    zones: [...new Set(entities.map((e) => e.time_zone))].join(', '),
    stopped: kind('delivery_stopped'),
    overspend: kind('overspend'),
    alerts: alerts.length,
  };
}
