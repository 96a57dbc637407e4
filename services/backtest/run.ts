import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { addDays, daysBetween, startOfDayIn, yesterdayOf } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import { backtestOptionsSchema, type BacktestOptions } from '../../lib/backtest/options';
import { accuracyByRule, worstDrawdown, type AccuracyRow } from '../../lib/backtest/results';
import { createMarket, dateOf, Ledger, reportCsv, simulateDay, TAIL_DAYS, type Market } from '../../lib/simulator';
import { centsToString } from '../../lib/money';
import { directionOf, evaluateOutcome, type Direction } from '../../lib/outcomes';
import { createApprovalActivities } from '../../activities/approvals';
import type { Mailer } from '../mail/transport';
import { sqlFile } from '../warehouse/sql';
import { loadStrategisFile } from '../strategis/load';
import { Warehouse } from '../warehouse/warehouse';
import type { AppliedChange, DayActions, DayContext, Learned } from './context';
import { scaleflowDay } from './scaleflow';
import { SimulatedMeta } from './sim-meta';
import { streakDay } from './streak';

/** The daily pipeline's hour: the morning's changes are stamped 06:00 in TZ of the simulated day. */
const PIPELINE_HOUR_MS = 6 * 3_600_000;
/** Days of the trailing window each morning's strateg.is pull covers, so restatements land. */
const PULL_DAYS = 7;

export interface BacktestResult {
  policy: BacktestOptions['policy'];
  seed: number;
  campaigns: number;
  days: number;
  start: string;
  end: string;
  sizing: BacktestOptions['sizing'];
  /** Final (reconciled) figures over the period, dollars as exact decimal strings. */
  margin: string;
  spend: string;
  revenue: string;
  worst_drawdown: string;
  /** Budget changes by direction: raises, cuts, pauses (a resume counts in the total only). */
  budget_changes: { total: number; raise: number; cut: number; pause: number };
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

export interface RunDeps {
  config: Config;
  thresholds: ThresholdsConfig;
  /** Where the temporary warehouse and archive go (removed afterwards unless keep). */
  workDir?: string;
  keep?: boolean;
  /** A hand-built market (tests); its own days, start and warm-up replace the options'. */
  market?: Market;
}

const noMail: Mailer = {
  mode: 'outbox',
  send: () => Promise.reject(new Error('the backtest sends no mail')),
  close: () => undefined,
};

/**
 * One policy over one simulated market, day by day: each morning the strateg.is report of the
 * trailing week is written as CSV and loaded through the real ingest into a fresh DuckDB file, the
 * policy acts as of that day, due 7-day outcome checks run through the real activity, and then the
 * market delivers the day against the simulated Meta's budgets. The period is followed by
 * TAIL_DAYS without new actions, so late changes still get their check; margin counts the period only.
 */
export async function runBacktest(input: Partial<BacktestOptions>, deps: RunDeps): Promise<BacktestResult> {
  const started = performance.now();
  const given = deps.market;
  const options = backtestOptionsSchema.parse(
    given
      ? {
          ...input,
          seed: given.seed,
          days: given.days,
          start: given.start,
          warmupDays: given.warmupDays,
          campaigns: given.specs.length,
        }
      : input,
  );
  const market =
    given ??
    createMarket({
      seed: options.seed,
      campaigns: options.campaigns,
      days: options.days,
      start: options.start,
      warmupDays: options.warmupDays,
    });
  const dir = mkdtempSync(join(deps.workDir ?? tmpdir(), `backtest-${options.policy}-${options.seed}-`));
  const warehouse = await Warehouse.open(join(dir, 'backtest.duckdb'));
  try {
    const meta = new SimulatedMeta(market);
    const ledger = new Ledger(market);
    const approvals = createApprovalActivities({ config: deps.config, warehouse, mailer: noMail, meta });
    const ingest = async (asOfDay: number, from: number) => {
      const asOf = dateOf(market, asOfDay);
      const path = join(dir, `strategis-${asOf}.csv`);
      writeFileSync(path, reportCsv(ledger.reportRows(asOfDay, from)));
      await loadStrategisFile(warehouse, { path, source: 'http', asOf }, { archiveDir: join(dir, 'archive') });
      rmSync(path);
    };

    for (let day = -market.warmupDays; day < 0; day++) ledger.record(day, simulateDay(market, day, meta.settings()));
    await ingest(0, -market.warmupDays);

    const pending: AppliedChange[] = [];
    const learned: Learned = { noRescale: new Set(), revert: new Map() };
    const totals = {
      refused: 0,
      held: 0,
      changes: [] as AppliedChange[],
      checks: [] as { rule: Direction; right: boolean }[],
    };
    for (let day = 0; day < market.days + TAIL_DAYS; day++) {
      if (day > 0) await ingest(day, day - PULL_DAYS);
      const asOf = dateOf(market, day);
      const nowMs = startOfDayIn(deps.config.TZ, asOf) + PIPELINE_HOUR_MS;
      meta.now = nowMs;
      if (day < market.days) {
        const awaitingOutcome = new Set(pending.map((c) => c.proposal.campaignId));
        const ctx: DayContext = {
          warehouse,
          config: deps.config,
          thresholds: deps.thresholds,
          options,
          market,
          meta,
          day,
          asOf,
          nowMs,
          awaitingOutcome,
          learned,
        };
        const actions = await act(ctx);
        totals.refused += actions.refused.length;
        totals.held += actions.heldByOptimizer;
        totals.changes.push(...actions.applied);
        pending.push(...actions.applied);
      }
      for (const { change, right } of await checkDue(pending, yesterdayOf(asOf), approvals.checkOutcome)) {
        const { action } = change.proposal;
        totals.checks.push({ rule: directionOf(action), right });
        if (right || directionOf(action) !== 'raise' || action.kind !== 'set_daily_budget') continue;
        learned.noRescale.add(change.proposal.campaignId);
        if (options.revertFailedScaleUps)
          learned.revert.set(change.proposal.campaignId, { fromCents: action.fromCents, toCents: action.toCents });
      }
      ledger.record(day, simulateDay(market, day, meta.settings()));
    }
    return await summarise(market, ledger, warehouse, options, totals, performance.now() - started);
  } finally {
    warehouse.close();
    if (!deps.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function act(ctx: DayContext): Promise<DayActions> {
  switch (ctx.options.policy) {
    case 'none':
      return Promise.resolve({ applied: [], refused: [], heldByOptimizer: 0 });
    case 'streak':
      return streakDay(ctx);
    case 'scaleflow':
      return scaleflowDay(ctx);
  }
}

/** Runs (and removes from `pending`) each check whose 7 days after the change are loaded. */
async function checkDue(
  pending: AppliedChange[],
  loadedThrough: string,
  checkOutcome: ReturnType<typeof createApprovalActivities>['checkOutcome'],
): Promise<{ change: AppliedChange; right: boolean }[]> {
  const checked: { change: AppliedChange; right: boolean }[] = [];
  for (let i = pending.length - 1; i >= 0; i--) {
    const change = pending[i]!;
    if (addDays(change.changeDate, 7) > loadedThrough) continue;
    const outcome = await checkOutcome({
      workflowId: change.workflowId,
      proposal: change.proposal,
      changeDate: change.changeDate,
    });
    checked.push({ change, right: outcome.was_right });
    pending.splice(i, 1);
  }
  return checked;
}

async function summarise(
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
    ])
  )
    .filter((r) => r.owner === 'all')
    .map(({ rule, checked, right, accuracy: a }) => ({ rule, checked, right, accuracy: checked === 0 ? null : a }));
  const truth = totals.changes.map((change) => {
    const day = daysBetween(market.start, change.changeDate);
    const window = (from: number, to: number) => {
      const w = { spendCents: 0, revenueCents: 0, days: to - from + 1 };
      const c = market.specs.findIndex((s) => s.campaign_id === change.proposal.campaignId);
      for (let d = from; d <= to; d++) {
        w.spendCents += ledger.outcome(d, c).spendCents;
        w.revenueCents += ledger.outcome(d, c).revenueCents;
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
    margin: centsToString(cumulative),
    spend: centsToString(spend),
    revenue: centsToString(revenue),
    worst_drawdown: centsToString(worstDrawdown(margins)),
    budget_changes: {
      total: kinds.length,
      raise: kinds.filter((a) => a.kind === 'set_daily_budget' && a.toCents > a.fromCents).length,
      cut: kinds.filter((a) => a.kind === 'set_daily_budget' && a.toCents < a.fromCents).length,
      pause: kinds.filter((a) => a.kind === 'pause').length,
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
