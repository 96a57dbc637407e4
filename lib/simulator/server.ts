import type {
  DayRequest,
  InitRequest,
  MarketCampaign,
  MarketRequest,
  ReplyTo,
  ResultReply,
  SetupReply,
} from '../backtest/protocol';
import { centsToString, toCents } from '../money';
import { Ledger, reportCsv, type ReportGrain } from './ledger';
import {
  createMarket,
  dateOf,
  simulateDay,
  TAIL_DAYS,
  type CampaignSpec,
  type DaySetting,
  type Market,
} from './market';

/** Days of history the protocol's setup report covers, and of each morning's pull. */
export const HISTORY_DAYS = 28;
export const PULL_DAYS = 7;

export interface BuiltinMarketOptions {
  /** History simulated before the start at the buyers' budgets (the report carries those of the 28 days). */
  warmupDays?: number;
  start?: string;
  adsets?: boolean;
  grain?: ReportGrain;
  /** A hand-built market (tests): replaces what `init` would create. */
  market?: Market;
}

/**
 * The built-in simulator (createMarket) behind the market protocol: `init` builds the market and
 * plays the warm-up at the buyers' budgets, each `day` delivers one day at the budgets scaleflow
 * sends and answers the next morning's pull, `end` tells the final margin over the period. The
 * same object answers in-process and, through `scaleflow market`, as a child process.
 */
export class BuiltinMarket {
  market: Market | null = null;
  ledger: Ledger | null = null;
  /** Ad sets are not in the protocol: the in-process backtest hands each ad-set campaign's settings here. */
  adsetSettings: ((spec: CampaignSpec) => DaySetting['adsets']) | null = null;
  private budgets = new Map<string, { budgetCents: number; active: boolean }>();
  private next = 0;

  constructor(private readonly options: BuiltinMarketOptions = {}) {}

  handle<R extends MarketRequest>(request: R): ReplyTo<R> {
    switch (request.type) {
      case 'init':
        return this.init(request) as ReplyTo<R>;
      case 'day':
        return this.day(request) as ReplyTo<R>;
      case 'end':
        return { type: 'truth', margin: centsToString(this.truthCents()) } as ReplyTo<R>;
    }
  }

  private init(request: InitRequest): SetupReply {
    const market =
      this.options.market ??
      createMarket({
        seed: request.seed,
        campaigns: request.campaigns,
        days: request.days,
        start: this.options.start ?? '2025-06-02',
        warmupDays: this.options.warmupDays ?? 14,
        adsets: this.options.adsets ?? false,
      });
    this.market = market;
    this.ledger = new Ledger(market);
    for (let day = -market.warmupDays; day < 0; day++) this.deliver(day);
    const accounts = [...new Set(market.specs.map((s) => s.account_id))].map((account_id) => ({
      account_id,
      currency: 'USD',
      time_zone: 'UTC',
    }));
    return {
      type: 'setup',
      start: market.start,
      accounts,
      campaigns: market.specs.filter((s) => s.launchDay <= 0).map(campaignOf),
      history_csv: reportCsv(this.ledger.reportRows(0, -HISTORY_DAYS, this.options.grain)),
    };
  }

  private day(request: DayRequest): ResultReply {
    const market = this.required();
    const day = this.next;
    if (request.date !== dateOf(market, day))
      throw new RangeError(`day ${request.date} out of order: expected ${dateOf(market, day)}`);
    if (day >= market.days + TAIL_DAYS) throw new RangeError(`day ${request.date} is past the market's last day`);
    for (const b of request.budgets)
      this.budgets.set(b.meta_campaign_id, { budgetCents: toCents(b.daily_budget), active: b.status === 'ACTIVE' });
    this.deliver(day);
    const ledger = this.ledger!;
    return {
      type: 'result',
      date: request.date,
      report_csv: reportCsv(ledger.reportRows(day + 1, day + 1 - PULL_DAYS, this.options.grain)),
      meta: market.specs
        .filter((s) => s.launchDay <= day)
        .map((s) => {
          const setting = this.settingOf(s);
          return {
            meta_campaign_id: s.meta_campaign_id,
            status: setting.active ? ('ACTIVE' as const) : ('PAUSED' as const),
            daily_budget: centsToString(setting.budgetCents),
            spend: centsToString(ledger.outcome(day, s.index).spendCents),
          };
        }),
      launched: market.specs.filter((s) => s.launchDay === day + 1).map(campaignOf),
    };
  }

  private settingOf(spec: CampaignSpec): DaySetting {
    const given = this.budgets.get(spec.meta_campaign_id) ?? { budgetCents: spec.initialBudgetCents, active: true };
    const adsets = spec.adsets && this.adsetSettings?.(spec);
    return adsets ? { ...given, adsets } : given;
  }

  private deliver(day: number): void {
    const market = this.required();
    this.ledger!.record(
      day,
      simulateDay(
        market,
        day,
        market.specs.map((s) => this.settingOf(s)),
      ),
    );
    this.next = day + 1;
  }

  /** Final margin (cents) over the period's days simulated so far. */
  truthCents(): number {
    const market = this.required();
    let sum = 0;
    for (let day = 0; day < Math.min(market.days, this.next); day++) sum += this.ledger!.marginOn(day);
    return sum;
  }

  private required(): Market {
    if (!this.market) throw new RangeError('the market has not been initialised: send init first');
    return this.market;
  }
}

function campaignOf(spec: CampaignSpec): MarketCampaign {
  return {
    campaign_id: spec.campaign_id,
    campaign_name: spec.campaign_name,
    owner: spec.owner,
    category: spec.category,
    meta_campaign_id: spec.meta_campaign_id,
    account_id: spec.account_id,
    daily_budget: centsToString(spec.initialBudgetCents),
    status: 'ACTIVE',
  };
}
