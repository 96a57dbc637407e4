import { addDays } from '../../lib/dates';
import { centsToString, toCents } from '../../lib/money';
import { evaluateOutcome, type OutcomeResult } from '../../lib/outcomes';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { AppliedChange } from './context';

/**
 * The 7-day outcome check of an ad-set change, on the ad set's own days (daily_adset_metrics):
 * METRICS.md's check as checkOutcome makes it for a campaign, recorded in outcome_checks the same
 * way so the accuracy query counts it. Until the production check reads ad sets, the backtest
 * judges ad-set changes here: judged on the campaign, a winner raised beside a loser paused
 * would read as one mixed change.
 */
export async function checkAdsetOutcome(warehouse: Warehouse, change: AppliedChange): Promise<OutcomeResult> {
  const { proposal, changeDate } = change;
  const adsetId = proposal.adset!.id;
  const window = async (start: string, end: string) => {
    const row = await warehouse.one<{ spend: string; revenue: string }>(sqlFile('backtest/adset_outcome_window'), [
      adsetId,
      start,
      end,
    ]);
    return { spendCents: toCents(row?.spend ?? '0'), revenueCents: toCents(row?.revenue ?? '0'), days: 7 };
  };
  const before = await window(addDays(changeDate, -7), addDays(changeDate, -1));
  const result = evaluateOutcome(proposal, before, await window(addDays(changeDate, 1), addDays(changeDate, 7)));
  const money = (dollars: number) => centsToString(Math.round(dollars * 100));
  await warehouse.run(sqlFile('approvals/insert_outcome'), [
    change.workflowId,
    proposal.campaignId,
    proposal.owner,
    proposal.type,
    result.rule,
    changeDate,
    money(result.baseline.spend),
    money(result.baseline.revenue),
    money(result.baseline.margin),
    result.baseline.roas,
    money(result.outcome.spend),
    money(result.outcome.revenue),
    money(result.outcome.margin),
    result.outcome.roas,
    money(result.deltas.margin),
    money(result.deltas.revenue),
    result.deltas.roas,
    result.is_improving,
    result.was_right,
  ]);
  return result;
}
