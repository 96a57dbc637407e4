import type { PlannedChange } from '../../activities/pipeline';
import { addDays, yesterdayOf } from '../../lib/dates';
import { optimizeBudget } from '../../lib/optimizer';
import { scaleStepCents } from '../../lib/optimizer/scale-step';
import { toCents } from '../../lib/money';
import { sqlFile } from '../warehouse/sql';
import type { DayContext } from './context';

interface HistoryRow {
  campaign_id: string;
  date: string;
  spend: string;
  revenue: string;
}

/** A planned change not made: its alert (the campaign's, or the ad set's) is dismissed. */
export interface HeldChange {
  campaignId: string;
  adsetId?: string;
  type: string;
}

export function heldOf({ proposal }: PlannedChange): HeldChange {
  return {
    campaignId: proposal.campaignId,
    ...(proposal.adset && { adsetId: proposal.adset.id }),
    type: proposal.type,
  };
}

/**
 * The optimiser's say on each scale-up: the campaign's (or ad set's) curve is fitted on its own 28 days (the
 * same query and code as POST /optimize/budget), and the budget it may move to is at most the
 * alert's, and no more than lib/optimizer/scale-step.ts allows (the optimum at the slope's lower
 * bound, one exploration step). When that is not minStepPct above today's, the scale-up is held.
 */
export async function optimizerSizing(
  ctx: DayContext,
  changes: PlannedChange[],
): Promise<{ changes: PlannedChange[]; held: HeldChange[] }> {
  const scaling = changes.filter((c) => c.proposal.action.kind === 'set_daily_budget');
  if (scaling.length === 0) return { changes, held: [] };
  const yesterday = yesterdayOf(ctx.asOf);
  const grains = new Set(scaling.map((c): 'adset' | 'campaign' => (c.proposal.adset ? 'adset' : 'campaign')));
  const history = new Map<string, HistoryRow[]>();
  const prior = new Map<string, number | null>();
  // An ad set's curve is fitted on its own days (keyed by its id), a campaign's on the campaign's.
  for (const grain of grains) {
    const from = addDays(yesterday, -27);
    const rows =
      grain === 'adset'
        ? await ctx.warehouse.all<HistoryRow>(sqlFile('backtest/adset_rows'), [from, yesterday])
        : await ctx.warehouse.all<HistoryRow>(sqlFile('metrics/optimizer_history'), [from, yesterday, 'all']);
    for (const r of rows) history.set(r.campaign_id, [...(history.get(r.campaign_id) ?? []), r]);
    const weekBefore = await ctx.warehouse.all<{ campaign_id: string; roas: number | null }>(
      sqlFile(grain === 'adset' ? 'backtest/adset_prior_week_roas' : 'backtest/prior_week_roas'),
      [addDays(yesterday, -13), addDays(yesterday, -7)],
    );
    for (const r of weekBefore) prior.set(r.campaign_id, r.roas);
  }

  const kept: PlannedChange[] = [];
  const held: HeldChange[] = [];
  for (const change of changes) {
    const { action } = change.proposal;
    if (action.kind !== 'set_daily_budget') {
      kept.push(change);
      continue;
    }
    const key = change.proposal.adset?.id ?? change.proposal.campaignId;
    const priorRoas = prior.get(key) ?? null;
    if (ctx.options.priorWeekRoas > 0 && (priorRoas === null || priorRoas < ctx.options.priorWeekRoas)) {
      held.push(heldOf(change));
      continue;
    }
    const plan = optimizeBudget(
      {
        total_budget: action.toCents / 100,
        optimization_goal: 'max_margin',
        constraints: {
          min_roas: 100,
          max_daily_spend_per_campaign: ctx.config.MAX_DAILY_BUDGET_USD,
          max_change_pct: ((action.toCents - action.fromCents) / action.fromCents) * 100,
        },
      },
      [
        {
          campaign_id: key,
          current_budget: action.fromCents / 100,
          history: history.get(key) ?? [],
        },
      ],
      { as_of: ctx.asOf },
    );
    const target = Math.round((plan.recommendations[0]?.recommended_budget ?? 0) * 100);
    // The optimiser's budget is its best guess of the curve; the step goes no further than the
    // optimum at the slope's lower bound, one exploration step, and the alert's own step.
    const days = (history.get(key) ?? []).map((r) => ({ spend: toCents(r.spend), revenue: toCents(r.revenue) }));
    const step = scaleStepCents(days, action.fromCents, Math.min(action.toCents, target), ctx.options.minStepPct);
    if (step === null) {
      held.push(heldOf(change));
      continue;
    }
    kept.push({
      ...change,
      proposal: {
        ...change.proposal,
        action: { ...action, toCents: step },
        evidence: { ...change.proposal.evidence, optimizer_budget: (target / 100).toFixed(2) },
      },
    });
  }
  return { changes: kept, held };
}
