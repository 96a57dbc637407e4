import { roasBucketOf, type RoasBucket } from './outcome-control';
import type { Thresholds } from './decisions';

/** 95% two-sided normal quantile: the Wilson score interval's z. */
const Z95 = 1.959964;

/**
 * Wilson score interval (95%) of right / checked. Chosen over the normal approximation because
 * calibration looks at small bands, where p +- 1.96 sqrt(p(1-p)/n) leaves [0, 1] or collapses at 0 or n.
 */
export function wilson95(right: number, checked: number): { low: number; high: number } | null {
  if (checked === 0) return null;
  const p = right / checked;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / checked;
  const center = (p + z2 / (2 * checked)) / denom;
  const half = (Z95 / denom) * Math.sqrt((p * (1 - p)) / checked + z2 / (4 * checked * checked));
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { low: r(Math.max(0, center - half)), high: r(Math.min(1, center + half)) };
}

/** One checked change as calibration groups it. */
export interface CalibrationCheck {
  rule: string;
  owner: string;
  /** Baseline week's spend and revenue, dollars as decimal strings' cents. */
  baselineSpendCents: number;
  baselineRevenueCents: number;
  /** The written action: kind, and for a budget its from and to (cents); null when the write is not in the log. */
  action: { kind: string; fromCents: number | null; toCents: number | null } | null;
  was_right: boolean;
}

/** Step size of a change: how far a budget moved (percent of the budget before), or pause / resume. */
export function stepBandOf(action: CalibrationCheck['action']): string {
  if (!action) return 'unknown';
  if (action.kind !== 'set_daily_budget') return action.kind;
  if (!action.fromCents || action.toCents === null) return 'unknown';
  const pct = Math.abs((action.toCents - action.fromCents) / action.fromCents) * 100;
  const dir = action.toCents > action.fromCents ? 'raise' : 'cut';
  if (pct <= 10) return `${dir} <=10%`;
  if (pct <= 25) return `${dir} 10-25%`;
  if (pct <= 50) return `${dir} 25-50%`;
  return `${dir} >50%`;
}

export interface CalibrationRow {
  dimension: 'rule' | 'owner' | 'roas_band' | 'step';
  key: string;
  checked: number;
  right: number;
  accuracy: number;
  /** Wilson 95% interval of the accuracy. */
  low: number;
  high: number;
  /** At least minChecks checks and the interval's upper bound below the 80% target. */
  clearly_wrong: boolean;
}

const TARGET = 0.8;

function band(w: Pick<CalibrationCheck, 'baselineSpendCents' | 'baselineRevenueCents'>): RoasBucket | 'no spend' {
  return (
    roasBucketOf({ spendCents: w.baselineSpendCents, revenueCents: w.baselineRevenueCents, days: 7 }) ?? 'no spend'
  );
}

function rowsBy(
  dimension: CalibrationRow['dimension'],
  checks: readonly CalibrationCheck[],
  keyOf: (c: CalibrationCheck) => string,
  minChecks: number,
): CalibrationRow[] {
  const groups = new Map<string, CalibrationCheck[]>();
  for (const c of checks) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, mine]) => {
      const right = mine.filter((c) => c.was_right).length;
      const ci = wilson95(right, mine.length)!;
      return {
        dimension,
        key,
        checked: mine.length,
        right,
        accuracy: Math.round((right / mine.length) * 1000) / 1000,
        ...ci,
        clearly_wrong: mine.length >= minChecks && ci.high < TARGET,
      };
    });
}

/** A threshold change calibration proposes for an owner: goes through approval like a budget change. */
export interface ThresholdProposal {
  owner: string;
  field: 'scale_roas';
  from: number;
  to: number;
  /** The band whose scale-ups were clearly wrong, with its figures. */
  because: { roas_band: string; checked: number; right: number; high: number };
}

/** Each band's next bound: scaling inside a clearly wrong band stops when scale_roas reaches its top. */
const BAND_TOP: Record<string, number> = { '<80': 80, '80-100': 100, '100-130': 130 };
/** Above the top band there is no next bound: one step of 10 points. */
const STEP = 10;

/**
 * Accuracy by rule, owner, ROAS band and step size; and, for each owner whose scale-ups in a ROAS
 * band were clearly wrong, a proposal to raise that owner's scale_roas to the band's top (by one
 * step of 10 points when it is the top band, or when scale_roas is already there). One proposal
 * per owner: the largest raise its wrong bands call for.
 */
export function calibrate(
  checks: readonly CalibrationCheck[],
  minChecks: number,
  thresholdsOf: (owner: string) => Pick<Thresholds, 'scale_roas'>,
): { rows: CalibrationRow[]; proposals: ThresholdProposal[] } {
  const rows = [
    ...rowsBy('rule', checks, (c) => c.rule, minChecks),
    ...rowsBy('owner', checks, (c) => c.owner, minChecks),
    ...rowsBy('roas_band', checks, band, minChecks),
    ...rowsBy('step', checks, (c) => stepBandOf(c.action), minChecks),
  ];
  const proposals: ThresholdProposal[] = [];
  const owners = [...new Set(checks.map((c) => c.owner))].sort();
  for (const owner of owners) {
    const raises = checks.filter((c) => c.owner === owner && stepBandOf(c.action).startsWith('raise'));
    const wrong = rowsBy('roas_band', raises, band, minChecks).filter((r) => r.clearly_wrong && r.key !== 'no spend');
    const from = thresholdsOf(owner).scale_roas;
    const target = (r: CalibrationRow) => Math.max(from + STEP, BAND_TOP[r.key] ?? from + STEP);
    const worst = wrong.reduce<CalibrationRow | null>((w, r) => (w && target(w) >= target(r) ? w : r), null);
    if (!worst) continue;
    const to = target(worst);
    proposals.push({
      owner,
      field: 'scale_roas',
      from,
      to,
      because: { roas_band: worst.key, checked: worst.checked, right: worst.right, high: worst.high },
    });
  }
  return { rows, proposals };
}
