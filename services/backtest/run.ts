import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { addDays, startOfDayIn, yesterdayOf } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import { backtestOptionsSchema, type BacktestOptions } from '../../lib/backtest/options';
import { createMarket, dateOf, Ledger, reportCsv, simulateDay, TAIL_DAYS, type Market } from '../../lib/simulator';
import { directionOf, type Direction, type OutcomeResult } from '../../lib/outcomes';
import { createApprovalActivities } from '../../activities/approvals';
import type { Mailer } from '../mail/transport';
import { loadStrategisFile } from '../strategis/load';
import { Warehouse } from '../warehouse/warehouse';
import { syncAdsets } from './adset-sync';
import { entityKey } from './apply';
import type { AppliedChange, DayActions, DayContext, Learned } from './context';
import { scaleflowDay } from './scaleflow';
import { SimulatedMeta } from './sim-meta';
import { streakDay } from './streak';
import { summarise, type BacktestResult } from './summary';

export type { BacktestResult } from './summary';

/** The daily pipeline's hour: the morning's changes are stamped 06:00 in TZ of the simulated day. */
const PIPELINE_HOUR_MS = 6 * 3_600_000;
/** The hourly sync's last hour of a day (23:00 in TZ): the snapshot meta_adset_days reads that day's numbers from. */
const LAST_SYNC_HOUR_MS = 23 * 3_600_000;
/** Days of the trailing window each morning's strateg.is pull covers, so restatements land. */
const PULL_DAYS = 7;

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
          adsetMarkets: given.specs.some((s) => s.adsets),
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
      adsets: options.adsetMarkets,
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
      writeFileSync(path, reportCsv(ledger.reportRows(asOfDay, from, options.strategisGrain)));
      await loadStrategisFile(warehouse, { path, source: 'http', asOf }, { archiveDir: join(dir, 'archive') });
      rmSync(path);
    };

    // The simulated day happens, then the Meta sync's last hour of it sees the ad sets.
    const deliver = async (day: number) => {
      ledger.record(day, simulateDay(market, day, meta.settings()));
      const lastSyncHour = startOfDayIn(deps.config.TZ, dateOf(market, day)) + LAST_SYNC_HOUR_MS;
      await syncAdsets(warehouse, market, meta, ledger, day, lastSyncHour);
    };
    for (let day = -market.warmupDays; day < 0; day++) await deliver(day);
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
        const awaitingOutcome = new Set(pending.map((c) => entityKey(c.proposal)));
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
      // The production check judges an ad-set change on the ad set's own days.
      for (const { change, right } of await checkDue(pending, yesterdayOf(asOf), approvals.checkOutcome)) {
        const { action, campaignId, adset } = change.proposal;
        totals.checks.push({ rule: directionOf(action), right });
        if (right || directionOf(action) !== 'raise' || action.kind !== 'set_daily_budget') continue;
        learned.noRescale.add(entityKey(change.proposal));
        if (options.revertFailedScaleUps)
          learned.revert.set(entityKey(change.proposal), {
            campaignId,
            adset,
            fromCents: action.fromCents,
            toCents: action.toCents,
          });
      }
      await deliver(day);
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
  checkOutcome: (change: AppliedChange) => Promise<OutcomeResult>,
): Promise<{ change: AppliedChange; right: boolean }[]> {
  const checked: { change: AppliedChange; right: boolean }[] = [];
  for (let i = pending.length - 1; i >= 0; i--) {
    const change = pending[i]!;
    if (addDays(change.changeDate, 7) > loadedThrough) continue;
    const outcome = await checkOutcome(change);
    checked.push({ change, right: outcome.was_right });
    pending.splice(i, 1);
  }
  return checked;
}
