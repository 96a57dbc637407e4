import * as Plot from '@observablehq/plot';
import type { CellData, ReportScope } from '../../../lib/reports/cell';
import { shortLabels } from '../../../lib/reports/plots';

const OFF_PACE = ['spent out', 'over pace', 'under pace'] as const;

/**
 * When "today" was read (the latest sync hour taken on as_of, in its account's zone), and how many
 * campaigns are off pace.
 */
export function facts({ rows }: CellData, scope: ReportScope) {
  const count = (pace: string) => rows.filter((r) => r.pace === pace).length;
  const today = rows.filter((r) => r.synced_today === true);
  const latest = today.reduce<(typeof rows)[number] | null>(
    (best, r) => (best === null || String(r.synced_at) > String(best.synced_at) ? r : best),
    null,
  );
  const parts = OFF_PACE.filter((p) => count(p) > 0).map((p) => `${count(p)} ${p}`);
  return {
    syncedToday: today.length,
    syncedAt: latest?.synced_at ?? null,
    zone: latest?.time_zone ?? scope.timeZone,
    dayPct: latest?.day_pct ?? null,
    offPace: OFF_PACE.reduce((n, p) => n + count(p), 0),
    onPace: count('on pace'),
    /** "1 spent out, 1 over pace and 1 under pace" */
    summary: parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`,
  };
}

const TONE: Record<string, string> = {
  'spent out': '#b91c1c',
  'over pace': '#ea580c',
  'under pace': '#2563eb',
  'on pace': '#16a34a',
};

/**
 * Share of the daily budget spent so far, per campaign synced today (the table's first ten), with
 * the share of the day gone as a dashed line: a bar well past the line is burning early, well short
 * of it is not delivering.
 */
export function chart({ rows }: CellData, scope: ReportScope) {
  const judged = rows.filter((r) => r.synced_today === true && String(r.pace) in TONE).slice(0, 10);
  if (judged.length === 0) return null;
  const labels = shortLabels(judged.map((r) => String(r.campaign_name)));
  const bars = judged.map((r, i) => ({
    label: labels[i]!,
    spent: Math.min(Number(r.spent_pct), 100),
    pace: String(r.pace),
    text: `${Number(r.spent_pct).toFixed(0)}%`,
  }));
  const dayPct = Number(judged[0]!.day_pct);
  const paces = Object.keys(TONE).filter((p) => bars.some((b) => b.pace === p));
  return {
    alt: `Share of the daily budget spent by ${String(judged[0]!.synced_at)} on ${scope.asOf}, against ${dayPct.toFixed(0)}% of the day gone`,
    plot: {
      height: 40 + bars.length * 24,
      marginLeft: 150,
      marginRight: 12,
      x: { domain: [0, 100], label: null, grid: true, tickFormat: (d: number) => `${d}%`, ticks: 5, insetRight: 36 },
      y: { label: null, domain: labels },
      color: { type: 'categorical' as const, domain: paces, range: paces.map((p) => TONE[p]!) },
      marks: [
        Plot.barX(bars, { y: 'label', x: 'spent', fill: 'pace' }),
        Plot.ruleX([dayPct], { stroke: '#111827', strokeDasharray: '4,3' }),
        Plot.text(bars, { y: 'label', x: 'spent', text: 'text', textAnchor: 'start', dx: 4, fill: '#111827' }),
      ],
    },
  };
}
