import type { Proposal, ProposalAdset } from '../../lib/approvals/proposal';
import type { BacktestOptions } from '../../lib/backtest/options';
import type { Config } from '../../lib/config';
import type { IsoDate } from '../../lib/dates';
import type { ThresholdsConfig } from '../../lib/decisions';
import type { CampaignSpec } from '../../lib/simulator';
import type { Warehouse } from '../warehouse/warehouse';
import type { SimulatedMeta } from './sim-meta';

/** A campaign as the backtest knows it: what the market announced (its setup or a launch). */
export type CampaignInfo = Pick<
  CampaignSpec,
  'campaign_id' | 'campaign_name' | 'owner' | 'category' | 'account_id' | 'meta_campaign_id' | 'initialBudgetCents'
> &
  Partial<Pick<CampaignSpec, 'launchDay' | 'adsets'>> & { initialStatus?: 'ACTIVE' | 'PAUSED' };

/** The market's campaigns as announced so far, in the order announced, and its first day. */
export interface MarketView {
  start: IsoDate;
  specs: CampaignInfo[];
}

/** Everything a policy sees on one simulated morning. */
export interface DayContext {
  warehouse: Warehouse;
  config: Config;
  thresholds: ThresholdsConfig;
  options: BacktestOptions;
  market: MarketView;
  meta: SimulatedMeta;
  day: number;
  asOf: IsoDate;
  /** The simulated instant the morning's actions happen at (06:00 in TZ, when the daily pipeline runs). */
  nowMs: number;
  /** Campaigns (or ad sets, apply.ts entityKey) whose last change still waits for its 7-day outcome check. */
  awaitingOutcome: ReadonlySet<string>;
  /** What the outcome checks taught: scale-ups that lowered the margin, and their budgets before. */
  learned: Learned;
}

export interface Learned {
  /** Campaigns or ad sets (entityKey) whose last checked scale-up was wrong: not scaled again. */
  noRescale: Set<string>;
  /** Failed scale-ups to take back, by entityKey: what was scaled, the budget before it and the budget it set. */
  revert: Map<string, { campaignId: string; adset?: ProposalAdset; fromCents: number; toCents: number }>;
}

/** A change applied to the simulated Meta, waiting for (or past) its 7-day outcome check. */
export interface AppliedChange {
  workflowId: string;
  proposal: Proposal;
  changeDate: IsoDate;
  /** Meta's setting before the write: what the built-in market replays the check's days at (truth.ts). */
  before?: { dailyBudgetCents: number | null; status: string };
}

export interface DayActions {
  applied: AppliedChange[];
  /** Proposals the guardrails refused at approval time, by reason. */
  refused: string[];
  /** Scale proposals the optimiser judged not worth it (sizing 'optimizer'). */
  heldByOptimizer: number;
}
