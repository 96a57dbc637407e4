import { addDays } from '../../lib/dates';
import type { BacktestOptions } from '../../lib/backtest/options';
import type { Agreement } from '../../lib/backtest/agreement';
import { accuracyByRule, worstDrawdown, type AccuracyRow } from '../../lib/backtest/results';
import { centsToString, toCents } from '../../lib/money';
import { evaluateOutcome, type Direction } from '../../lib/outcomes';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { entityKey } from './apply';
import type { AppliedChange, MarketView } from './context';

export interface BacktestResult {
  policy: BacktestOptions['policy'];
  /** The market: `built-in`, or the command that ran it. */
  market: string;
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
  /** The market's own final margin over the period (its `truth` reply), dollars as an exact decimal string. */
  margin: string;
  /**
   * scaleflow's own count of the same margin, from the strateg.is pulls it loaded (restatements
   * applied); spend, revenue, daily and worst_drawdown are from the same count.
   */
  margin_counted: string;
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
   * The same checks on the numbers as last loaded, once the market restated them (every day but
   * the tail's last few is then reconciled): how far the production check (run when the week after
   * is loaded, its last days not yet reconciled) is from the settled numbers.
   */
  accuracy_reconciled: AccuracyRow[];
  /**
   * How often each accuracy definition (was_right, right_vs_control) agrees with the truth, margin
   * with the change minus without it over the check's days; null (n/a) on a market that cannot
   * replay a campaign without the change.
   */
  agreement: Agreement | null;
  daily: { date: string; margin: string; cumulative: string }[];
  runtime_ms: number;
}

/** The run's figures: the market's own margin (its `truth`), and what scaleflow counted from what it loaded. */
export async function summarise(
  view: MarketView,
  warehouse: Warehouse,
  options: BacktestOptions & { market: string },
  totals: {
    refused: number;
    held: number;
    changes: AppliedChange[];
    checks: { rule: Direction; right: boolean }[];
    agreement: Agreement | null;
  },
  truthMargin: string,
  runtimeMs: number,
): Promise<BacktestResult> {
  // Every day as last loaded, restatements applied: per campaign_id, and per ad set as `adset-<id>`.
  const rows = await warehouse.all<{ key: string; date: string; spend: string; revenue: string }>(
    sqlFile('backtest/final_rows'),
  );
  const byKey = new Map<string, Map<string, { spendCents: number; revenueCents: number }>>();
  for (const r of rows) {
    let days = byKey.get(r.key);
    if (!days) byKey.set(r.key, (days = new Map()));
    days.set(r.date, { spendCents: toCents(r.spend), revenueCents: toCents(r.revenue) });
  }
  const campaignIds = new Set(view.specs.map((s) => s.campaign_id));
  const margins: number[] = [];
  let spend = 0;
  let revenue = 0;
  let cumulative = 0;
  const daily: BacktestResult['daily'] = [];
  for (let day = 0; day < options.days; day++) {
    const date = addDays(view.start, day);
    let m = 0;
    for (const id of campaignIds) {
      const o = byKey.get(id)?.get(date);
      if (!o) continue;
      spend += o.spendCents;
      revenue += o.revenueCents;
      m += o.revenueCents - o.spendCents;
    }
    margins.push(m);
    cumulative += m;
    daily.push({ date, margin: centsToString(m), cumulative: centsToString(cumulative) });
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
  const reconciled = totals.changes.map((change) => {
    const days = byKey.get(entityKey(change.proposal));
    const window = (from: number, to: number) => {
      const w = { spendCents: 0, revenueCents: 0, days: to - from };
      for (let d = 0; d < to - from; d++) {
        const o = days?.get(addDays(change.changeDate, from + d));
        w.spendCents += o?.spendCents ?? 0;
        w.revenueCents += o?.revenueCents ?? 0;
      }
      return w;
    };
    const outcome = evaluateOutcome(change.proposal, window(-7, 0), window(1, 8));
    return { rule: outcome.rule, right: outcome.was_right };
  });
  const kinds = totals.changes.map((c) => c.proposal.action);
  return {
    policy: options.policy,
    market: options.market,
    seed: options.seed,
    campaigns: options.campaigns,
    days: options.days,
    start: view.start,
    end: addDays(view.start, options.days - 1),
    sizing: options.sizing,
    level: options.level,
    adset_markets: options.adsetMarkets,
    strategis_grain: options.strategisGrain,
    margin: truthMargin,
    margin_counted: centsToString(cumulative),
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
    accuracy_reconciled: accuracyByRule(reconciled),
    agreement: totals.agreement,
    daily,
    runtime_ms: Math.round(runtimeMs),
  };
}
