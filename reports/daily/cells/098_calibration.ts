import { DEFAULT_CALIBRATION_MIN_CHECKS, type CellData, type ReportScope } from '../../../lib/reports/cell';

/**
 * Totals over the owners' rows (the all-owners rows of the team report count the same checks
 * again), and the clearly wrong bands the sentence names.
 */
export function facts({ rows }: CellData, scope: ReportScope) {
  const owners = rows.filter((r) => r.team_row !== true);
  const checks = owners.reduce((n, r) => n + Number(r.checks), 0);
  const right = owners.reduce((n, r) => n + Number(r.right), 0);
  const wrong = rows
    .filter((r) => r.clearly_wrong === true)
    .map((r) => ({
      label: `${String(r.owner)}, ${String(r.rule)} from ROAS ${String(r.band)}%, ${String(r.step)}`,
      checks: Number(r.checks),
      right: Number(r.right),
      high_pct: Number(r.high_pct),
    }));
  return {
    checks,
    right,
    accuracy_pct: checks === 0 ? null : Math.round((right / checks) * 1000) / 10,
    wrong,
    minChecks: scope.calibrationMinChecks ?? DEFAULT_CALIBRATION_MIN_CHECKS,
  };
}
