import { changeEffectCents } from '../../lib/simulator/counterfactual';
import type { BuiltinMarket } from '../../lib/simulator/server';
import { daysBetween } from '../../lib/dates';
import type { AppliedChange } from './context';

/**
 * A checked change's truth on the built-in market: margin with the change minus without it over
 * the check's 7 days (cents). Null where it is not knowable: an external market (no replay in the
 * protocol), a change to an ad set or to a campaign whose ad sets hold the budgets (the replay has
 * no ad-set settings of the day before), a change whose setting before is unknown.
 */
export function truthOf(builtin: BuiltinMarket | null, change: AppliedChange): number | null {
  const market = builtin?.market;
  const ledger = builtin?.ledger;
  if (!market || !ledger || change.proposal.adset || change.before?.dailyBudgetCents == null) return null;
  const c = market.specs.findIndex((s) => s.campaign_id === change.proposal.campaignId);
  if (c < 0 || market.specs[c]!.adsets) return null;
  const day = daysBetween(market.start, change.changeDate);
  return changeEffectCents(market, ledger, c, day + 1, day + 7, {
    budgetCents: change.before.dailyBudgetCents,
    active: change.before.status === 'ACTIVE',
  });
}
