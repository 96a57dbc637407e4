import { daysBetween } from '../../lib/dates';
import type { BacktestOptions } from '../../lib/backtest/options';
import { accuracyByRule, worstDrawdown, type AccuracyRow } from '../../lib/backtest/results';
import { dateOf, type Ledger, type Market } from '../../lib/simulator';
import { centsToString } from '../../lib/money';
import { evaluateOutcome, type Direction } from '../../lib/outcomes';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { AppliedChange } from './context';

export interface BacktestResult {
  policy: BacktestOptions['policy'];
  seed: number;
  campaigns: number;
  days: number;
  start: string;
  end: string;
  sizing: BacktestOptions['sizing'];
  /** Where scaleflow decided (`auto`: on the ad sets where the budgets live there). */
  level: BacktestOptions['level'];
  /** Whether the market's campaigns hold their budgets in ad sets, and what strateg.is reported for them. */
  adset_markets: boolean;
  strategis_grain: BacktestOptions['strategisGrain'];
  /** Final (reconciled) figures over the period, dollars as exact decimal strings. */
  margin: string;
  spend: string;
  revenue: string;
  worst_drawdown: string;
  /** Changes by direction: raises, cuts, pauses (a resume counts in the total only); `adset`: made to an ad set. */
  budget_changes: { total: number; raise: number; cut: number; pause: number; adset: number };
  refused_by_guardrails: number;
  held_by_optimizer: number;
  /** Recommendation accuracy by rule (all, then each change type) from the 7-day outcome checks. */
  accuracy: AccuracyRow[];
  /** The same checks by how they were judged: `rule` is all, raise (a scale-up) or cut (a pause, a trim, a revert). */
  accuracy_by_direction: AccuracyRow[];
  /**
   * The same checks on the final, reconciled numbers the market knows: how far the production
   * check (run when the week after is loaded, its last days not yet reconciled) is from the truth.
   */
  accuracy_reconciled: AccuracyRow[];
  daily: { date: string; margin: string; cumulative: string }[];
  runtime_ms: number;
}

/** The run's figures from the market's final numbers and the warehouse's outcome checks. */
export async function summarise(
  market: Market,
  ledger: Ledger,
  warehouse: Warehouse,
  options: BacktestOptions,
  totals: { refused: number; held: number; changes: AppliedChange[]; checks: { rule: Direction; right: boolean }[] },
  runtimeMs: number,
): Promise<BacktestResult> {
  const margins: number[] = [];
  let spend = 0;
  let revenue = 0;
  let cumulative = 0;
  const daily: BacktestResult['daily'] = [];
  for (let day = 0; day < market.days; day++) {
    const m = ledger.marginOn(day);
    margins.push(m);
    cumulative += m;
    daily.push({ date: dateOf(market, day), margin: centsToString(m), cumulative: centsToString(cumulative) });
    for (let c = 0; c < market.specs.length; c++) {
      const o = ledger.outcome(day, c);
      spend += o.spendCents;
      revenue += o.revenueCents;
    }
  }
  const accuracy = (
    await warehouse.all<AccuracyRow & { owner: string }>(sqlFile('approvals/accuracy'), [
      '1970-01-01',
      '9999-12-31',
      'all',
      // every check, a campaign's or an ad set's: the backtest judges whichever level it ran at
      'auto',
    ])
  )
    .filter((r) => r.owner === 'all')
    .map(({ rule, checked, right, accuracy: a }) => ({ rule, checked, right, accuracy: checked === 0 ? null : a }));
  const truth = totals.changes.map((change) => {
    const day = daysBetween(market.start, change.changeDate);
    const window = (from: number, to: number) => {
      const w = { spendCents: 0, revenueCents: 0, days: to - from + 1 };
      const c = market.specs.findIndex((s) => s.campaign_id === change.proposal.campaignId);
      // An ad-set change is judged on its ad set's final numbers, as its production check is.
      const a = change.proposal.adset
        ? market.specs[c]!.adsets!.findIndex((s) => s.adset_id === change.proposal.adset!.id)
        : -1;
      for (let d = from; d <= to; d++) {
        const o = ledger.outcome(d, c);
        const own = a >= 0 ? (o.adsets?.[a] ?? { spendCents: 0, revenueCents: 0 }) : o;
        w.spendCents += own.spendCents;
        w.revenueCents += own.revenueCents;
      }
      return w;
    };
    const outcome = evaluateOutcome(change.proposal, window(day - 7, day - 1), window(day + 1, day + 7));
    return { rule: outcome.rule, right: outcome.was_right };
  });
  const kinds = totals.changes.map((c) => c.proposal.action);
  return {
    policy: options.policy,
    seed: options.seed,
    campaigns: options.campaigns,
    days: options.days,
    start: dateOf(market, 0),
    end: dateOf(market, market.days - 1),
    sizing: options.sizing,
    level: options.level,
    adset_markets: options.adsetMarkets,
    strategis_grain: options.strategisGrain,
    margin: centsToString(cumulative),
    spend: centsToString(spend),
    revenue: centsToString(revenue),
    worst_drawdown: centsToString(worstDrawdown(margins)),
    budget_changes: {
      total: kinds.length,
      raise: kinds.filter((a) => a.kind === 'set_daily_budget' && a.toCents > a.fromCents).length,
      cut: kinds.filter((a) => a.kind === 'set_daily_budget' && a.toCents < a.fromCents).length,
      pause: kinds.filter((a) => a.kind === 'pause').length,
      adset: totals.changes.filter((c) => c.proposal.adset).length,
    },
    refused_by_guardrails: totals.refused,
    held_by_optimizer: totals.held,
    accuracy,
    accuracy_by_direction: accuracyByRule(totals.checks),
    accuracy_reconciled: accuracyByRule(truth),
    daily,
    runtime_ms: Math.round(runtimeMs),
  };
}
