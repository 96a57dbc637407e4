import { ApplicationFailure } from '@temporalio/activity';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../lib/config';
import { addDays, startOfDayIn, yesterdayOf } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import { backtestOptionsSchema, type BacktestOptions } from '../../lib/backtest/options';
import { MarketProtocolError, type MarketCampaign } from '../../lib/backtest/protocol';
import { toCents } from '../../lib/money';
import { BuiltinMarket, TAIL_DAYS, type Market } from '../../lib/simulator';
import { directionOf, type Direction, type OutcomeResult } from '../../lib/outcomes';
import type { ControlResult } from '../../lib/outcome-control';
import { agreementWithTruth, type JudgedCheck } from '../../lib/backtest/agreement';
import { createApprovalActivities } from '../../activities/approvals';
import type { Mailer } from '../mail/transport';
import { loadStrategisFile } from '../strategis/load';
import { Warehouse } from '../warehouse/warehouse';
import { syncAdsets } from './adset-sync';
import { entityKey } from './apply';
import type { AppliedChange, CampaignInfo, DayActions, DayContext, Learned, MarketView } from './context';
import { ChildMarket, InProcessMarket, type MarketClient } from './market-client';
import { scaleflowDay } from './scaleflow';
import { SimulatedMeta } from './sim-meta';
import { streakDay } from './streak';
import { summarise, type BacktestResult } from './summary';
import { truthOf } from './truth';

export type { BacktestResult } from './summary';

/** The daily pipeline's hour: the morning's changes are stamped 06:00 in TZ of the simulated day. */
const PIPELINE_HOUR_MS = 6 * 3_600_000;
/** The hourly sync's last hour of a day (23:00 in TZ): the snapshot meta_adset_days reads that day's numbers from. */
const LAST_SYNC_HOUR_MS = 23 * 3_600_000;

export interface RunDeps {
  config: Config;
  thresholds: ThresholdsConfig;
  /** Where the temporary warehouse and archive go (removed afterwards unless keep). */
  workDir?: string;
  keep?: boolean;
  /** A hand-built market (tests); its own days, start and warm-up replace the options'. */
  market?: Market;
  /** Seconds an external market (options.marketCmd) has for each reply, in ms (tests shorten it). */
  marketTimeoutMs?: number;
  /** Told after each simulated day (0-based) with the run's days, tail included: the CLI's progress line. */
  onDay?: (day: number, days: number) => void;
}

const noMail: Mailer = {
  mode: 'outbox',
  send: () => Promise.reject(new Error('the backtest sends no mail')),
  close: () => undefined,
};

/** The market the run talks to: the command's child process, else the built-in simulator in-process. */
function openMarket(options: BacktestOptions, deps: RunDeps): { client: MarketClient; builtin: BuiltinMarket | null } {
  if (options.marketCmd) return { client: new ChildMarket(options.marketCmd, deps.marketTimeoutMs), builtin: null };
  const builtin = new BuiltinMarket({
    market: deps.market,
    start: options.start,
    warmupDays: options.warmupDays,
    adsets: options.adsetMarkets,
    grain: options.strategisGrain,
  });
  return { client: new InProcessMarket(builtin), builtin };
}

function campaignInfo(c: MarketCampaign, launchDay?: number, builtin?: BuiltinMarket | null): CampaignInfo {
  // Ad sets are not in the protocol: only the in-process built-in market carries them, on the side.
  const spec = builtin?.market?.specs.find((s) => s.meta_campaign_id === c.meta_campaign_id);
  return {
    campaign_id: c.campaign_id,
    campaign_name: c.campaign_name,
    owner: c.owner,
    category: c.category,
    account_id: c.account_id,
    meta_campaign_id: c.meta_campaign_id,
    initialBudgetCents: toCents(c.daily_budget),
    initialStatus: c.status,
    launchDay: spec?.launchDay ?? launchDay,
    ...(spec?.adsets && { adsets: spec.adsets }),
  };
}

/**
 * One policy over one market, day by day, through the market protocol (lib/backtest/protocol.ts):
 * `init` answers the campaigns and the strateg.is history, loaded through the real ingest into a
 * fresh DuckDB file; each morning the policy acts as of that day, due 7-day outcome checks run
 * through the real activity, then `day` sends the budgets in force and its `result` brings the
 * next morning's pull, loaded the same way. The period is followed by TAIL_DAYS without new
 * actions, so late changes still get their check; margin counts the period only, as the market
 * tells it (`end`) and as scaleflow counts it from what it loaded.
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
  if (options.marketCmd && options.adsetMarkets)
    throw new MarketProtocolError('market: --adset-markets needs the built-in market (the protocol has no ad sets)');
  const dir = mkdtempSync(join(deps.workDir ?? tmpdir(), `backtest-${options.policy}-${options.seed}-`));
  const warehouse = await Warehouse.open(join(dir, 'backtest.duckdb'));
  const { client, builtin } = openMarket(options, deps);
  try {
    const setup = await client.request({
      type: 'init',
      seed: options.seed,
      days: options.days,
      campaigns: options.campaigns,
    });
    const view: MarketView = { start: setup.start, specs: setup.campaigns.map((c) => campaignInfo(c, 0, builtin)) };
    const meta = new SimulatedMeta(view);
    const approvals = createApprovalActivities({ config: deps.config, warehouse, mailer: noMail, meta });
    const ingest = async (asOf: string, csv: string) => {
      const path = join(dir, `strategis-${asOf}.csv`);
      writeFileSync(path, csv);
      await loadStrategisFile(warehouse, { path, source: 'http', asOf }, { archiveDir: join(dir, 'archive') });
      rmSync(path);
    };
    // The built-in market's ad sets: scaleflow's simulated Meta holds their budgets, the market
    // delivers against them, and the Meta sync's last hour of each day sees them.
    const adsets = builtin?.market?.specs.some((s) => s.adsets) ? builtin : null;
    const syncDay = async (day: number) => {
      if (!adsets) return;
      const lastSyncHour = startOfDayIn(deps.config.TZ, addDays(view.start, day)) + LAST_SYNC_HOUR_MS;
      await syncAdsets(warehouse, adsets.market!, meta, adsets.ledger!, day, lastSyncHour);
    };
    if (adsets) {
      adsets.adsetSettings = (spec) => {
        const m = meta.indexOfMetaId(spec.meta_campaign_id);
        return m === undefined ? undefined : meta.settings()[m]!.adsets;
      };
      for (let day = -adsets.market!.warmupDays; day < 0; day++) await syncDay(day);
    }
    await ingest(setup.start, setup.history_csv);

    const pending: AppliedChange[] = [];
    const learned: Learned = { noRescale: new Set(), revert: new Map() };
    const totals = {
      refused: 0,
      held: 0,
      changes: [] as AppliedChange[],
      checks: [] as { rule: Direction; right: boolean }[],
      judged: [] as JudgedCheck[],
    };
    for (let day = 0; day < options.days + TAIL_DAYS; day++) {
      const asOf = addDays(view.start, day);
      const nowMs = startOfDayIn(deps.config.TZ, asOf) + PIPELINE_HOUR_MS;
      meta.now = nowMs;
      if (day < options.days) {
        const awaitingOutcome = new Set(pending.map((c) => entityKey(c.proposal)));
        const ctx: DayContext = {
          warehouse,
          config: deps.config,
          thresholds: deps.thresholds,
          options,
          market: view,
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
      for (const { change, outcome } of await checkDue(pending, yesterdayOf(asOf), approvals.checkOutcome)) {
        const { action, campaignId, adset } = change.proposal;
        const right = outcome.was_right;
        totals.checks.push({ rule: directionOf(action), right });
        totals.judged.push({
          direction: directionOf(action),
          was_right: right,
          right_vs_control: outcome.right_vs_control,
          truth_cents: truthOf(builtin, change),
        });
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
      // The day happens at the budgets in force; the next morning's pull comes back.
      const result = await client.request({ type: 'day', date: asOf, budgets: meta.budgets() });
      await syncDay(day);
      for (const launch of result.launched) {
        const info = campaignInfo(launch, day + 1, builtin);
        view.specs.push(info);
        meta.add(info);
      }
      await ingest(addDays(asOf, 1), result.report_csv);
      deps.onDay?.(day, options.days + TAIL_DAYS);
    }
    const truth = await client.request({ type: 'end' });
    return await summarise(
      view,
      warehouse,
      { ...options, market: client.name },
      { ...totals, agreement: agreementWithTruth(totals.judged, builtin !== null) },
      truth.margin,
      performance.now() - started,
    );
  } finally {
    await client.close();
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

/** Runs (and removes from `pending`) each check whose 7 days after the change are loaded and judged. */
async function checkDue(
  pending: AppliedChange[],
  loadedThrough: string,
  checkOutcome: (change: AppliedChange) => Promise<OutcomeResult & ControlResult>,
): Promise<{ change: AppliedChange; outcome: OutcomeResult & ControlResult }[]> {
  const checked: { change: AppliedChange; outcome: OutcomeResult & ControlResult }[] = [];
  for (let i = pending.length - 1; i >= 0; i--) {
    const change = pending[i]!;
    if (addDays(change.changeDate, 7) > loadedThrough) continue;
    let outcome: OutcomeResult & ControlResult;
    try {
      outcome = await checkOutcome(change);
    } catch (err) {
      // As Temporal retries it in production: the week is not reconciled yet, ask again tomorrow.
      if (err instanceof ApplicationFailure && err.type === 'OutcomeDataPending') continue;
      throw err;
    }
    checked.push({ change, outcome });
    pending.splice(i, 1);
  }
  return checked;
}
