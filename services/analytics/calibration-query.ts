import { z } from 'zod';
import { calibrate, type CalibrationCheck } from '../../lib/calibration';
import type { ResolvedThresholds } from '../../lib/decisions';
import { isoDateSchema } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

export const calibrationQuerySchema = z.strictObject({
  /** The last day of the 90-day window (change days); default today in TZ, set by the caller. */
  as_of: isoDateSchema.optional(),
  owner: z.string().min(1).default('all'),
});
export type CalibrationQuery = z.infer<typeof calibrationQuerySchema>;

interface Row {
  rule: string;
  owner: string;
  baseline_spend: string;
  baseline_revenue: string;
  was_right: boolean;
  kind: string | null;
  from_cents: bigint | number | null;
  to_cents: bigint | number | null;
}

const num = (v: bigint | number | null) => (v === null ? null : Number(v));

/** `GET /api/facebook/outcomes/calibration`: accuracy by rule, owner, ROAS band and step over 90 days. */
export async function calibrationReport(
  warehouse: Warehouse,
  q: { as_of: string; owner: string },
  settings: { minChecks: number; thresholds: ResolvedThresholds },
) {
  const rows = await warehouse.all<Row>(sqlFile('approvals/calibration_checks'), [q.as_of, q.owner.toLowerCase()]);
  const checks: CalibrationCheck[] = rows.map((r) => ({
    rule: r.rule,
    owner: r.owner,
    baselineSpendCents: toCents(r.baseline_spend),
    baselineRevenueCents: toCents(r.baseline_revenue),
    action: r.kind === null ? null : { kind: r.kind, fromCents: num(r.from_cents), toCents: num(r.to_cents) },
    was_right: r.was_right,
  }));
  return {
    as_of: q.as_of,
    window_days: 90,
    interval: 'Wilson score, 95%',
    min_checks: settings.minChecks,
    ...calibrate(checks, settings.minChecks, (owner) => settings.thresholds.of(owner)),
  };
}
