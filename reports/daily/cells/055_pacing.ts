import type { CellData, ReportScope } from '../../../lib/reports/cell';

const OFF_PACE = ['spent out', 'over pace', 'under pace'] as const;

/** When "today" was read (the latest sync hour of as_of), and how many campaigns are off pace. */
export function facts({ rows }: CellData, scope: ReportScope) {
  const count = (pace: string) => rows.filter((r) => r.pace === pace).length;
  const today = rows.filter((r) => r.report_date === scope.asOf);
  const latest = today.reduce<(typeof rows)[number] | null>((best, r) => (best === null || String(r.synced_at) > String(best.synced_at) ? r : best), null);
  const parts = OFF_PACE.filter((p) => count(p) > 0).map((p) => `${count(p)} ${p}`);
  return {
    syncedToday: today.length,
    syncedAt: latest?.synced_at ?? null,
    dayPct: latest?.day_pct ?? null,
    offPace: OFF_PACE.reduce((n, p) => n + count(p), 0),
    onPace: count('on pace'),
    /** "1 spent out, 1 over pace and 1 under pace" */
    summary: parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`,
  };
}
