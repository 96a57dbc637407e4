import { z } from 'zod';

/**
 * The Graph API sandbox's accounts and campaigns, as Meta would hold them: budgets as integer minor
 * units, statuses, and today's delivery (spend accrues through the day with `accrue`).
 */
const status = z.enum(['ACTIVE', 'PAUSED']);
export type Status = z.infer<typeof status>;
/** Minor units (cents): Meta's integers. */
const minor = z.number().int().nonnegative();

const sandboxAdSetSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string(),
  status,
  /** Minor units; only outside CBO (under CBO the campaign holds the budget). */
  dailyBudget: minor.nullable(),
});
export type SandboxAdSet = z.infer<typeof sandboxAdSetSchema>;

const sandboxCampaignSchema = z.object({
  id: z.string().regex(/^\d+$/),
  accountId: z.string().regex(/^act_\d+$/),
  name: z.string(),
  status,
  objective: z.string(),
  /** Minor units; set on CBO campaigns only (Advantage campaign budget). */
  dailyBudget: minor.nullable(),
  lifetimeBudget: minor.nullable(),
  adsets: z.array(sandboxAdSetSchema),
  /** Today's delivery: spend in minor units, and what it bought. */
  spendMinor: minor,
  impressions: minor,
  clicks: minor,
  purchases: minor,
  purchaseValueMinor: minor,
  createdTime: z.string(),
  updatedTime: z.string(),
  /** When each budget change was accepted (ms): Meta allows about 4 per hour. */
  budgetChanges: z.array(z.number()),
});
export type SandboxCampaign = z.infer<typeof sandboxCampaignSchema>;

const sandboxAccountFields = z.object({
  id: z.string().regex(/^act_\d+$/),
  name: z.string(),
  currency: z.string().length(3),
  timezone: z.string(),
});
export type SandboxAccount = z.infer<typeof sandboxAccountFields> & { campaigns: SandboxCampaign[] };

/**
 * Everything the sandbox holds as plain data (what persist.ts keeps on disk): campaigns in the
 * order they were added, each naming its account.
 */
export const sandboxSnapshotSchema = z.object({
  nextId: z.number().int(),
  accounts: z.array(sandboxAccountFields),
  campaigns: z.array(sandboxCampaignSchema),
});
export type SandboxSnapshot = z.infer<typeof sandboxSnapshotSchema>;

export interface CampaignSeed {
  name?: string;
  status?: Status;
  dailyBudget?: number | null;
  lifetimeBudget?: number | null;
  /** Without CBO the budget lives on one ad set. */
  cbo?: boolean;
  spendMinor?: number;
  impressions?: number;
  clicks?: number;
  purchases?: number;
  purchaseValueMinor?: number;
}

export class SandboxState {
  readonly accounts = new Map<string, SandboxAccount>();
  private readonly byId = new Map<string, SandboxCampaign>();
  private readonly adsetsById = new Map<string, { adset: SandboxAdSet; campaign: SandboxCampaign }>();
  private nextId = 120_210_000_000_000;

  constructor(readonly now: () => number = Date.now) {}

  private newId(): string {
    return String(++this.nextId);
  }

  addAccount(id: string, { currency = 'USD', timezone = 'America/New_York', name = id } = {}): SandboxAccount {
    if (!/^act_\d+$/.test(id)) throw new Error(`not an ad account id: ${id}`);
    const account: SandboxAccount = { id, name, currency, timezone, campaigns: [] };
    this.accounts.set(id, account);
    return account;
  }

  addCampaign(accountId: string, seed: CampaignSeed = {}, id = this.newId()): SandboxCampaign {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    const cbo = seed.cbo ?? true;
    const at = new Date(this.now()).toISOString();
    const campaign: SandboxCampaign = {
      id,
      accountId,
      name: seed.name ?? `Campaign ${id}`,
      status: seed.status ?? 'ACTIVE',
      objective: 'OUTCOME_SALES',
      dailyBudget: cbo ? (seed.dailyBudget === undefined ? 5000 : seed.dailyBudget) : null,
      lifetimeBudget: cbo ? (seed.lifetimeBudget ?? null) : null,
      adsets: [],
      spendMinor: seed.spendMinor ?? 0,
      impressions: seed.impressions ?? 0,
      clicks: seed.clicks ?? 0,
      purchases: seed.purchases ?? 0,
      purchaseValueMinor: seed.purchaseValueMinor ?? 0,
      createdTime: at,
      updatedTime: at,
      budgetChanges: [],
    };
    const adset: SandboxAdSet = {
      id: this.newId(),
      name: `${campaign.name} / ad set`,
      status: 'ACTIVE',
      dailyBudget: cbo ? null : (seed.dailyBudget ?? 5000),
    };
    campaign.adsets.push(adset);
    account.campaigns.push(campaign);
    this.byId.set(id, campaign);
    this.adsetsById.set(adset.id, { adset, campaign });
    return campaign;
  }

  /** A deep copy of what the sandbox holds. */
  snapshot(): SandboxSnapshot {
    return structuredClone({
      nextId: this.nextId,
      accounts: [...this.accounts.values()].map(({ campaigns: _, ...account }) => account),
      campaigns: [...this.byId.values()],
    });
  }

  /** A sandbox holding what a snapshot held (the snapshot is copied, not shared). */
  static fromSnapshot(snapshot: SandboxSnapshot, now: () => number = Date.now): SandboxState {
    const state = new SandboxState(now);
    const copy = structuredClone(snapshot);
    state.nextId = copy.nextId;
    for (const account of copy.accounts) state.accounts.set(account.id, { ...account, campaigns: [] });
    for (const campaign of copy.campaigns) {
      const account = state.accounts.get(campaign.accountId);
      if (!account)
        throw new Error(
          `campaign ${campaign.id} names account ${campaign.accountId}, which the snapshot does not hold`,
        );
      account.campaigns.push(campaign);
      state.byId.set(campaign.id, campaign);
      for (const adset of campaign.adsets) state.adsetsById.set(adset.id, { adset, campaign });
    }
    return state;
  }

  /** Every campaign, in the order added. */
  campaigns(): SandboxCampaign[] {
    return [...this.byId.values()];
  }

  campaign(id: string): SandboxCampaign | undefined {
    return this.byId.get(id);
  }

  adset(id: string): { adset: SandboxAdSet; campaign: SandboxCampaign } | undefined {
    return this.adsetsById.get(id);
  }

  accountOf(campaign: SandboxCampaign): SandboxAccount {
    return this.accounts.get(campaign.accountId)!;
  }

  /** Spend accrues through the day: each active campaign spends `fraction` of its daily budget. */
  accrue(fraction: number): void {
    for (const campaign of this.byId.values()) {
      if (campaign.status !== 'ACTIVE') continue;
      const budget = campaign.dailyBudget ?? campaign.adsets.reduce((sum, a) => sum + (a.dailyBudget ?? 0), 0);
      const spent = Math.floor(budget * fraction);
      campaign.spendMinor += spent;
      campaign.impressions += spent * 10;
      campaign.clicks += Math.floor(spent / 100);
    }
  }

  /** Meta's ad-set copy: a duplicate in the same campaign, with a name suffix and the same budget. */
  copyAdset(id: string, suffix: string, status: Status): SandboxAdSet {
    const { adset, campaign } = this.adsetsById.get(id)!;
    const copy: SandboxAdSet = { ...adset, id: this.newId(), name: `${adset.name}${suffix}`, status };
    campaign.adsets.push(copy);
    this.adsetsById.set(copy.id, { adset: copy, campaign });
    campaign.updatedTime = new Date(this.now()).toISOString();
    return copy;
  }

  /** Meta's campaign copy: a PAUSED duplicate with a name suffix, ad sets copied too. */
  copyCampaign(id: string, suffix = ' - Copy'): SandboxCampaign {
    const source = this.byId.get(id)!;
    const cbo = source.dailyBudget !== null || source.lifetimeBudget !== null;
    return this.addCampaign(source.accountId, {
      name: `${source.name}${suffix}`,
      status: 'PAUSED',
      cbo,
      dailyBudget: cbo ? source.dailyBudget : source.adsets[0]?.dailyBudget,
      lifetimeBudget: source.lifetimeBudget,
    });
  }
}
