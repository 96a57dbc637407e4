import { z } from 'zod';
import { breakdownSchema, type Breakdown } from '../../lib/meta/breakdowns';

/**
 * The Graph API sandbox's accounts and campaigns, as Meta would hold them: budgets as integer minor
 * units, statuses, and today's delivery (spend accrues through the day with `accrue`).
 */
const status = z.enum(['ACTIVE', 'PAUSED']);
export type Status = z.infer<typeof status>;
/** Minor units (cents): Meta's integers. */
const minor = z.number().int().nonnegative();

/** Today's delivery of an ad set: spend and purchase value in minor units. */
const deliverySchema = z.object({
  spendMinor: minor,
  impressions: minor,
  clicks: minor,
  purchases: minor,
  purchaseValueMinor: minor,
});
export type Delivery = z.infer<typeof deliverySchema>;

const learningStatus = z.enum(['LEARNING', 'SUCCESS', 'FAIL']);

/**
 * One row of an ad set's day by a breakdown, set by a test: Meta's keys of that breakdown (`age`
 * and `gender`; `hourly_stats_aggregated_by_advertiser_time_zone`: '13:00:00 - 13:59:59' ...) and
 * what was delivered there.
 */
const breakdownRowSeedSchema = deliverySchema.extend({ keys: z.record(z.string(), z.string()) });
export type BreakdownRowSeed = z.infer<typeof breakdownRowSeedSchema>;

// Fields after `dailyBudget` default, so a sandbox file saved before ad sets had them still loads.
const sandboxAdSetSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string(),
  status,
  /** Minor units; only outside CBO (under CBO the campaign holds the budget). */
  dailyBudget: minor.nullable(),
  lifetimeBudget: minor.nullable().default(null),
  bidStrategy: z.string().default('LOWEST_COST_WITHOUT_CAP'),
  optimizationGoal: z.string().default('OFFSITE_CONVERSIONS'),
  learningStatus: learningStatus.default('SUCCESS'),
  /** Meta's `targeting` object as the Graph API returns it. */
  targeting: z.record(z.string(), z.unknown()).default({ geo_locations: { countries: ['US'] } }),
  /** Its own delivery today; without one, the only ad set of a campaign delivers the campaign's. */
  delivery: deliverySchema.optional(),
  /** Exact breakdown rows by breakdown (lib/meta/breakdowns.ts names); others are split from the delivery. */
  breakdowns: z.partialRecord(breakdownSchema, z.array(breakdownRowSeedSchema)).optional(),
  /** Exact rows of one day (YYYY-MM-DD, the insights' time_range): before the undated ones above. */
  breakdownsByDay: z
    .record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.partialRecord(breakdownSchema, z.array(breakdownRowSeedSchema)))
    .optional(),
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

const customAudienceSchema = z.object({ id: z.string(), name: z.string(), subtype: z.string() });
export type SandboxCustomAudience = z.infer<typeof customAudienceSchema>;

const sandboxAccountFields = z.object({
  id: z.string().regex(/^act_\d+$/),
  name: z.string(),
  currency: z.string().length(3),
  timezone: z.string(),
  customAudiences: z.array(customAudienceSchema).default([]),
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
  /**
   * The campaign's ad sets (default: one). With these the campaign's delivery is the sum of theirs;
   * outside CBO each holds its own budget (default 5000).
   */
  adsets?: AdSetSeed[];
}

export interface AdSetSeed {
  name?: string;
  status?: Status;
  dailyBudget?: number | null;
  lifetimeBudget?: number | null;
  bidStrategy?: string;
  optimizationGoal?: string;
  learningStatus?: z.infer<typeof learningStatus>;
  targeting?: Record<string, unknown>;
  delivery?: Partial<Delivery>;
}

const NO_DELIVERY: Delivery = { spendMinor: 0, impressions: 0, clicks: 0, purchases: 0, purchaseValueMinor: 0 };

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
    const account: SandboxAccount = { id, name, currency, timezone, customAudiences: [], campaigns: [] };
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
    const seeds = seed.adsets ?? [{ name: `${campaign.name} / ad set`, dailyBudget: seed.dailyBudget }];
    for (const s of seeds) {
      const adset: SandboxAdSet = {
        id: this.newId(),
        name: s.name ?? `${campaign.name} / ad set ${campaign.adsets.length + 1}`,
        status: s.status ?? 'ACTIVE',
        dailyBudget: cbo ? null : s.dailyBudget === undefined ? 5000 : s.dailyBudget,
        lifetimeBudget: cbo ? null : (s.lifetimeBudget ?? null),
        bidStrategy: s.bidStrategy ?? 'LOWEST_COST_WITHOUT_CAP',
        optimizationGoal: s.optimizationGoal ?? 'OFFSITE_CONVERSIONS',
        learningStatus: s.learningStatus ?? 'SUCCESS',
        targeting: s.targeting ?? { geo_locations: { countries: ['US'] } },
        ...(seed.adsets ? { delivery: { ...NO_DELIVERY, ...s.delivery } } : {}),
      };
      campaign.adsets.push(adset);
      this.adsetsById.set(adset.id, { adset, campaign });
    }
    if (seed.adsets) sumDelivery(campaign);
    account.campaigns.push(campaign);
    this.byId.set(id, campaign);
    return campaign;
  }

  /** A custom audience of the account (`subtype` as Meta's: WEBSITE, LOOKALIKE, ENGAGEMENT, CUSTOM ...). */
  addCustomAudience(accountId: string, audience: { name: string; subtype: string }): SandboxCustomAudience {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    const added = { id: this.newId(), ...audience };
    account.customAudiences.push(added);
    return added;
  }

  /** An ad set's delivery today: its own, or the campaign's when it is the campaign's only ad set. */
  adsetDelivery(adset: SandboxAdSet, campaign: SandboxCampaign): Delivery {
    if (adset.delivery) return adset.delivery;
    if (campaign.adsets.length !== 1) return NO_DELIVERY;
    const { spendMinor, impressions, clicks, purchases, purchaseValueMinor } = campaign;
    return { spendMinor, impressions, clicks, purchases, purchaseValueMinor };
  }

  /** An ad set's rows by one breakdown from now on, exactly these (Meta omits what did not deliver). */
  /** The rows Meta gives for the ad set by `breakdown`: on `day` only when one is named, else on every day. */
  setBreakdown(adsetId: string, breakdown: Breakdown, rows: BreakdownRowSeed[], day?: string): void {
    const found = this.adsetsById.get(adsetId);
    if (!found) throw new Error(`no ad set ${adsetId}`);
    const { adset } = found;
    if (day === undefined) adset.breakdowns = { ...adset.breakdowns, [breakdown]: structuredClone(rows) };
    else
      adset.breakdownsByDay = {
        ...adset.breakdownsByDay,
        [day]: { ...adset.breakdownsByDay?.[day], [breakdown]: structuredClone(rows) },
      };
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
      if (campaign.adsets.some((a) => a.delivery)) {
        // Ad sets delivering on their own: each spends by its own budget, or an equal share of the CBO budget.
        for (const adset of campaign.adsets) {
          if (!adset.delivery || adset.status !== 'ACTIVE') continue;
          const share = adset.dailyBudget ?? Math.floor((campaign.dailyBudget ?? 0) / campaign.adsets.length);
          addSpend(adset.delivery, Math.floor(share * fraction));
        }
        sumDelivery(campaign);
      } else addSpend(campaign, Math.floor(budget * fraction));
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

function addSpend(delivery: Delivery, spent: number): void {
  delivery.spendMinor += spent;
  delivery.impressions += spent * 10;
  delivery.clicks += Math.floor(spent / 100);
}

/** A campaign whose ad sets deliver on their own delivers what they do together. */
function sumDelivery(campaign: SandboxCampaign): void {
  for (const key of Object.keys(NO_DELIVERY) as (keyof Delivery)[])
    campaign[key] = campaign.adsets.reduce((sum, a) => sum + (a.delivery?.[key] ?? 0), 0);
}
