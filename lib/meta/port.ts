import type { BudgetAction } from '../approvals/proposal';

/**
 * What the approval flow needs from Meta: services/meta/campaigns.ts over the SDK
 * (facebook-nodejs-business-sdk), services/backtest/sim-meta.ts in a simulation.
 */
export interface CampaignRef {
  accountId: string;
  metaCampaignId: string;
}

export interface LiveCampaign {
  dailyBudgetCents: number | null;
  status: string;
  /** The ad account's currency (ISO 4217), which the budget is in. */
  currency?: string;
  /** When Meta last saw a budget or status change (from the hourly snapshots), if known. */
  lastChangedAt?: string | null;
}

export interface BudgetWriteResult {
  result: 'written' | 'unchanged' | 'dry_run';
  before: { dailyBudgetCents: number | null; status: string };
  after: { dailyBudgetCents: number | null; status: string };
  /** Meta's answer to the write, verbatim. */
  metaResponse?: unknown;
  detail?: string;
  /** The local date the change took effect (set by the approval activity). */
  changeDate: string;
  /** Set when the change was made to an ad set (the ad-set cooldown reads it from the audit log). */
  adsetId?: string;
  /** A `duplicate`: the PAUSED copy Meta made (or an earlier attempt made). */
  copiedAdsetId?: string;
  /** An `exclude_placement`: the ad set's targeting as read before the write, and as written. */
  targeting?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/** One campaign of a many-campaign read: its state, or the error that campaign alone met. */
export type LiveRead = { ref: CampaignRef; live: LiveCampaign } | { ref: CampaignRef; failure: Error };

export interface MetaCampaigns {
  readCampaign(ref: CampaignRef): Promise<LiveCampaign>;
  /**
   * Many campaigns at once (Graph API batch requests over the SDK): one answer per ref, in order.
   * A campaign Meta refuses or fails is that campaign's failure; only a failure of a whole
   * request (token, network) rejects.
   */
  readCampaigns(refs: readonly CampaignRef[]): Promise<LiveRead[]>;
  /**
   * Reads first and writes only when the live value differs from the target. That read is the
   * write's idempotency (the Graph API takes no idempotency key): a retry finds its own write.
   */
  applyAction(
    input: CampaignRef & { action: BudgetAction; dryRun: boolean },
  ): Promise<Omit<BudgetWriteResult, 'changeDate'>>;
}

/** An ad set of a campaign: the ad-set writes check it still belongs to the proposal's campaign. */
export interface AdsetRef extends CampaignRef {
  adsetId: string;
}

/**
 * What the approval flow needs from Meta for an ad-set proposal (METRICS.md "Levels"): the ad
 * set's own budget and status, read before every write as for campaigns.
 */
export interface MetaAdsets {
  readAdset(ref: AdsetRef): Promise<LiveCampaign>;
  /**
   * `duplicate` makes Meta's copy of the ad set, PAUSED, named with `copySuffix`; a copy with that
   * name already under the campaign is the earlier attempt's, so none is made again.
   */
  applyAdsetAction(
    input: AdsetRef & { action: BudgetAction; dryRun: boolean; copySuffix: string },
  ): Promise<Omit<BudgetWriteResult, 'changeDate'>>;
}
