import { streakActions, streakAlertTypes, type StreakRow } from '../../lib/backtest/streak';
import { addDays, yesterdayOf } from '../../lib/dates';
import { resolveThresholds, windowIndex } from '../../lib/decisions';
import { loadAlertRules } from '../rules/files';
import { sqlFile } from '../warehouse/sql';
import { applyProposal, campaignIndex, simulatedProposal } from './apply';
import type { DayActions, DayContext } from './context';

/** The seed's streak rules on the same warehouse rows, applied at once: no approval, no guardrail. */
export async function streakDay(ctx: DayContext): Promise<DayActions> {
  const yesterday = yesterdayOf(ctx.asOf);
  const index = windowIndex(yesterday, 5);
  const rows = await ctx.warehouse.all<StreakRow>(sqlFile('metrics/recent_rows'), [
    addDays(yesterday, -4),
    yesterday,
    'all',
  ]);
  const result: DayActions = { applied: [], refused: [], heldByOptimizer: 0 };
  // Typed like the pipeline's alerts (RULES_DIR's alert rules), so accuracy groups them alike.
  const types = streakAlertTypes(loadAlertRules(ctx.config.RULES_DIR)(resolveThresholds(ctx.thresholds).of('')));
  for (const action of streakActions(rows, index.dates)) {
    const i = campaignIndex(ctx, action.campaign_id);
    const spec = ctx.market.specs[i]!;
    const live = ctx.meta.state(i);
    if (live.status !== 'ACTIVE') continue;
    const type = types[action.kind];
    const proposal = simulatedProposal(ctx, i, {
      type,
      action:
        action.kind === 'scale'
          ? {
              kind: 'set_daily_budget',
              fromCents: live.dailyBudgetCents,
              toCents: Math.floor((live.dailyBudgetCents * (100 + action.pct)) / 100),
            }
          : { kind: 'pause' },
      reason: action.kind === 'scale' ? 'streak: ROAS >130% for 3 days' : 'streak: ROAS <80% for 5 days',
    });
    const applied = await applyProposal(ctx, proposal, `backtest/streak/${spec.campaign_id}/${ctx.asOf}/${type}`);
    if (applied) result.applied.push(applied);
  }
  return result;
}
