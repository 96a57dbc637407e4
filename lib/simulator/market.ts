import { getDay } from 'date-fns';
import { addDays, type IsoDate } from '../dates';
import { adsetSpecs, type AdsetSpec } from './adsets';
import { expectedRevenue, optimalSpend, scaled, type TrueCurve } from './curves';
import { deliveredSpend } from './delivery';
import { between, normal, STREAM, uniform } from './rng';

/**
 * A seeded market of Meta campaigns, pure: the same options give the same campaigns and, for the
 * same budgets, the same days. Day indices count from `start` (day 0); negative days are the
 * warm-up history every policy shares before the period starts.
 */
export interface MarketOptions {
  seed: number;
  campaigns: number;
  /** Days in the measured period. */
  days: number;
  start: IsoDate;
  /** Days of history before `start`, at the buyers' own budgets. */
  warmupDays: number;
  /** Every campaign holds its budget in 2-5 ad sets (off: campaign budgets, as before ad sets existed). */
  adsets?: boolean;
}

export interface CampaignSpec {
  index: number;
  campaign_id: string;
  campaign_name: string;
  owner: string;
  category: string;
  account_id: string;
  meta_campaign_id: string;
  /** First day with spend (may be before the warm-up: an old campaign). */
  launchDay: number;
  initialBudgetCents: number;
  curve: TrueCurve;
  /** Daily revenue noise, sd of its log. */
  noiseSd: number;
  /** Creative fatigue: from `day` on the curve's first-dollar roas is multiplied by `keep`. */
  fatigue: { day: number; keep: number } | null;
  /**
   * Where the budget lives on ad sets: each with its own curve, budget and noise around the
   * campaign's (`curve` and `noiseSd` above are then only their base); initialBudgetCents is their sum.
   */
  adsets?: AdsetSpec[];
}

export interface Market extends MarketOptions {
  specs: CampaignSpec[];
  /** Hidden quality multiplier per campaign per day (drift and fatigue), index day + warmupDays. */
  quality: Float64Array[];
}

export const OWNERS = ['ben', 'tj', 'alex', 'maria', 'sam'] as const;
const CATEGORIES = ['DentalImplants', 'AutoInsurance', 'SolarPanels', 'HomeWarranty', 'Medicare', 'DebtRelief'];
// Sunday first, as date-fns getDay counts: weekends convert a little better.
const WEEKDAY = [1.06, 0.95, 0.97, 0.99, 1.0, 1.01, 1.05];
/** Day-to-day drift of quality (sd of its log), pulled gently back towards 1. */
const DRIFT_SD = 0.03;
const DRIFT_PULL = 0.97;
/** Days simulated past the period, so changes near its end can still get their 7-day check. */
export const TAIL_DAYS = 8;

function campaignSpec(o: MarketOptions, i: number): CampaignSpec {
  const s = (key: number) => uniform(o.seed, STREAM.setup, i, key);
  const z = (key: number) => normal(o.seed, STREAM.setup, i, key);
  const owner = OWNERS[i % OWNERS.length]!;
  const category = CATEGORIES[Math.floor(s(1) * CATEGORIES.length)]!;
  const peak = Math.min(4, Math.max(0.55, Math.exp(Math.log(1.55) + 0.35 * z(2))));
  const k = Math.min(3000, Math.max(30, Math.exp(Math.log(250) + 0.8 * z(3))));
  const curve = { peak, k };
  const launches = s(4) < 0.25;
  const launchDay = launches
    ? Math.floor(between(-o.warmupDays + 1, Math.max(-o.warmupDays + 2, o.days - 10), o.seed, STREAM.setup, i, 5))
    : -o.warmupDays - Math.floor(s(6) * 30);
  // Buyers set budgets by feel: old campaigns anywhere from well under to well over their best
  // spend, weak ones somewhere on their curve, launches on a cautious test budget.
  let budget: number;
  if (launches) budget = k * between(0.2, 0.8, o.seed, STREAM.setup, i, 7);
  else if (peak > 1.15) budget = optimalSpend(curve) * between(0.35, 1.9, o.seed, STREAM.setup, i, 7);
  else budget = k * between(0.2, 1.0, o.seed, STREAM.setup, i, 7);
  const fatigue =
    s(8) < 0.35
      ? {
          day: Math.floor(between(-o.warmupDays, o.days, o.seed, STREAM.setup, i, 9)),
          keep: between(0.45, 0.75, o.seed, STREAM.setup, i, 10),
        }
      : null;
  const id = String(i).padStart(4, '0');
  const spec: CampaignSpec = {
    index: i,
    campaign_id: `sim${o.seed}c${id}`,
    campaign_name: `${category}_FB_${owner.toUpperCase()}_${id}`,
    owner,
    category,
    account_id: `act_${1001 + (i % OWNERS.length)}`,
    meta_campaign_id: String(238_500_000_000_000 + o.seed * 100_000 + i),
    launchDay,
    initialBudgetCents: Math.max(2000, Math.round(budget * 100)),
    curve,
    noiseSd: between(0.08, 0.25, o.seed, STREAM.setup, i, 11),
    fatigue,
  };
  if (!o.adsets) return spec;
  const adsets = adsetSpecs(o.seed, i, curve, spec.noiseSd, spec.meta_campaign_id, `${category}_${id}`);
  return { ...spec, adsets, initialBudgetCents: adsets.reduce((sum, a) => sum + a.initialBudgetCents, 0) };
}

function qualityPath(o: MarketOptions, spec: CampaignSpec): Float64Array {
  const length = o.warmupDays + o.days + TAIL_DAYS;
  const path = new Float64Array(length);
  let drift = 0;
  for (let j = 0; j < length; j++) {
    const day = j - o.warmupDays;
    drift = DRIFT_PULL * drift + DRIFT_SD * normal(o.seed, STREAM.drift, spec.index, day);
    path[j] = Math.exp(drift) * (spec.fatigue && day >= spec.fatigue.day ? spec.fatigue.keep : 1);
  }
  return path;
}

export function createMarket(options: MarketOptions): Market {
  const specs = Array.from({ length: options.campaigns }, (_, i) => campaignSpec(options, i));
  return { ...options, specs, quality: specs.map((c) => qualityPath(options, c)) };
}

export function dateOf(market: Pick<Market, 'start'>, day: number): IsoDate {
  return addDays(market.start, day);
}

/** The campaign's true curve on a day (drift and fatigue applied). */
export function curveOn(market: Market, campaign: number, day: number): TrueCurve {
  return scaled(market.specs[campaign]!.curve, market.quality[campaign]![day + market.warmupDays]!);
}

export interface DayOutcome {
  spendCents: number;
  /** Final (reconciled) revenue. */
  revenueCents: number;
  /** An ad-set campaign's ad sets, in spec order; the fields above are their sums. */
  adsets?: { spendCents: number; revenueCents: number }[];
}

/** What Meta's settings for a campaign are on a day. */
export interface DaySetting {
  budgetCents: number;
  active: boolean;
  /**
   * Each ad set's own setting, in spec order, when the budget lives there. Absent on an ad-set
   * campaign: the campaign's budget is split in the proportions of the buyers' first budgets.
   */
  adsets?: { budgetCents: number; active: boolean }[];
}

/** One day of the market at the given settings: Meta's delivery, the curve, the weekday and noise. */
export function simulateDay(market: Market, day: number, settings: readonly DaySetting[]): DayOutcome[] {
  return market.specs.map((_, c) => campaignDay(market, c, day, settings[c]!));
}

/**
 * One campaign's day at a setting. Every draw is keyed by (seed, campaign, day), so the same call
 * with another setting is that day replayed without a change, same noise: the backtest's truth.
 */
export function campaignDay(market: Market, c: number, day: number, setting: DaySetting): DayOutcome {
  const weekday = WEEKDAY[getDay(new Date(`${dateOf(market, day)}T12:00:00Z`))]!;
  const spec = market.specs[c]!;
  const live = setting.active && day >= spec.launchDay;
  if (spec.adsets) return adsetDay(market, spec, setting, live, day, weekday);
  const spendCents = deliveredSpend(setting.budgetCents, live, market.seed, c, day);
  if (spendCents === 0) return { spendCents: 0, revenueCents: 0 };
  const noise = Math.exp(spec.noiseSd * normal(market.seed, STREAM.noise, c, day) - (spec.noiseSd * spec.noiseSd) / 2);
  const revenue = expectedRevenue(curveOn(market, c, day), spendCents / 100) * weekday * noise;
  return { spendCents, revenueCents: Math.round(revenue * 100) };
}

/** An ad-set campaign's day: each ad set delivered and converting on its own, the campaign their sum. */
function adsetDay(
  market: Market,
  spec: CampaignSpec,
  setting: DaySetting,
  live: boolean,
  day: number,
  weekday: number,
): DayOutcome {
  const adsets = spec.adsets!;
  const quality = market.quality[spec.index]![day + market.warmupDays]!;
  const outcomes = adsets.map((a, j) => {
    const own = setting.adsets?.[j] ?? {
      budgetCents: Math.round((setting.budgetCents * a.initialBudgetCents) / spec.initialBudgetCents),
      active: true,
    };
    const spendCents = deliveredSpend(own.budgetCents, live && own.active, market.seed, spec.index, day, j);
    if (spendCents === 0) return { spendCents: 0, revenueCents: 0 };
    const z = normal(market.seed, STREAM.adsetNoise, spec.index, j, day);
    const noise = Math.exp(a.noiseSd * z - (a.noiseSd * a.noiseSd) / 2);
    const revenue = expectedRevenue(scaled(a.curve, quality), spendCents / 100) * weekday * noise;
    return { spendCents, revenueCents: Math.round(revenue * 100) };
  });
  return {
    spendCents: outcomes.reduce((sum, o) => sum + o.spendCents, 0),
    revenueCents: outcomes.reduce((sum, o) => sum + o.revenueCents, 0),
    adsets: outcomes,
  };
}
