import type { Proposal } from '../../lib/approvals/proposal';
import { addDays, yesterdayOf } from '../../lib/dates';
import { roundTo, toCents } from '../../lib/money';
import { MIN_STEP_PCT, scaleStepCents } from '../../lib/optimizer/scale-step';
import type { SpendDay } from '../../lib/optimizer/curve';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';

/** The days a step is sized on: the optimiser's window (28 days ending yesterday). */
export const SCALE_HISTORY_DAYS = 28;

/** How a held raise's note starts (the report shows it on the alert; the backtest counts them). */
export const RAISE_HELD = 'raise held:';

/** A raise: a new daily budget above the one in force. Cuts and pauses are not sized here. */
export function isRaise(proposal: Pick<Proposal, 'action'>): boolean {
  const { action } = proposal;
  return action.kind === 'set_daily_budget' && action.toCents > action.fromCents;
}

const keyOf = (p: Pick<Proposal, 'campaignId' | 'adset'>) => p.adset?.id ?? p.campaignId;

/**
 * Each raise's step from its entity's own days in the warehouse (an ad set's from the ad set's),
 * by lib/optimizer/scale-step.ts, the same function the backtest sizes with: at most the alert's
 * step, one exploration step and the optimum at the curve slope's lower bound; held, with the
 * reason, when that is under minStepPct above today's budget. Anything but a raise passes as it is.
 */
export async function sizeRaises<C extends { proposal: Proposal }>(
  warehouse: Warehouse,
  asOf: string,
  changes: readonly C[],
  minStepPct = MIN_STEP_PCT,
): Promise<{ changes: C[]; held: { change: C; reason: string }[] }> {
  const raises = changes.map((c) => c.proposal).filter(isRaise);
  if (raises.length === 0) return { changes: [...changes], held: [] };
  const yesterday = yesterdayOf(asOf);
  const ids = (adset: boolean) => JSON.stringify([...new Set(raises.filter((p) => !!p.adset === adset).map(keyOf))]);
  const rows = await warehouse.all<{ entity_id: string; spend: string; revenue: string }>(
    sqlFile('pipeline/scale_history'),
    [addDays(yesterday, 1 - SCALE_HISTORY_DAYS), yesterday, ids(false), ids(true)],
  );
  const days = new Map<string, SpendDay[]>();
  for (const r of rows)
    days.set(r.entity_id, [...(days.get(r.entity_id) ?? []), { spend: toCents(r.spend), revenue: toCents(r.revenue) }]);

  const kept: C[] = [];
  const held: { change: C; reason: string }[] = [];
  for (const change of changes) {
    const { action } = change.proposal;
    if (action.kind !== 'set_daily_budget' || !isRaise(change.proposal)) {
      kept.push(change);
      continue;
    }
    const history = days.get(keyOf(change.proposal)) ?? [];
    const to = scaleStepCents(history, action.fromCents, action.toCents, minStepPct);
    if (to !== null) {
      // The approver sees the step made, and the alert's own step it was cut from.
      const { evidence } = change.proposal;
      const resized =
        to === action.toCents
          ? evidence
          : {
              ...evidence,
              scale_pct: roundTo((to / action.fromCents - 1) * 100, 1),
              alert_scale_pct: evidence.scale_pct ?? null,
              // The alert's gain was for its own step; the approver decides on this one.
              ...resizedGain(evidence, (to / action.fromCents - 1) * 100),
            };
      kept.push({ ...change, proposal: { ...change.proposal, action: { ...action, toCents: to }, evidence: resized } });
      continue;
    }
    const shown = history.filter((d) => d.spend > 0 && d.revenue > 0).length;
    held.push({
      change,
      reason:
        shown < 3
          ? `${RAISE_HELD} ${shown} day(s) with spend and revenue in the last ${SCALE_HISTORY_DAYS}, too few to size it on`
          : `${RAISE_HELD} the spend of the last ${SCALE_HISTORY_DAYS} days does not show the curve paying ${minStepPct}% more (its optimum at the slope's lower bound is below that)`,
    });
  }
  return { changes: kept, held };
}

/** The alert's potential margin gain for the step made: yesterday's margin x that step, as the alert's is. */
function resizedGain(evidence: Proposal['evidence'], stepPct: number): { potential_margin_gain?: string } {
  const gain = Number(evidence.potential_margin_gain);
  const alertPct = evidence.scale_pct;
  if (evidence.potential_margin_gain == null || !Number.isFinite(gain) || typeof alertPct !== 'number' || alertPct <= 0)
    return {};
  return { potential_margin_gain: ((gain * stepPct) / alertPct).toFixed(2) };
}
