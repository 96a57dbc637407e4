import { addDays, datesBetween, daysBetween, type IsoDate } from '../dates';
import { centsToString, roundCents } from '../money';
import { seededRandom } from './random';

/**
 * Realistic strateg.is reports, deterministic for a seed: campaigns x days with the contract's
 * column names; owners ben, tj, dan, mike and anastasia; launches spread over the period; steady
 * winners, losers, volatile and middling campaigns. A report pulled on `pulledOn` carries the last
 * RECONCILE_DAYS days as provisional (lower revenue, is_reconciled=false), so pulling the same
 * window a day later restates them, as strateg.is does.
 */
export const SAMPLE_OWNERS = ['ben', 'tj', 'dan', 'mike', 'anastasia'] as const;
export const SAMPLE_CATEGORIES = [
  'Dental',
  'Legal',
  'Roofing',
  'Solar',
  'Pets',
  'Insurance',
  'Auto',
  'Travel',
] as const;
export const RECONCILE_DAYS = 3;

export const SAMPLE_HEADER = [
  'date',
  'campaign_id',
  'campaign_name',
  'owner',
  'category',
  'spend',
  'revenue',
  'margin',
  'clicks',
  'conversions',
  'impressions',
  'account_id',
  'meta_campaign_id',
  'is_reconciled',
] as const;

export type CampaignKind = 'star' | 'winner' | 'loser' | 'volatile' | 'steady';

export interface SampleCampaign {
  id: string;
  name: string;
  owner: string;
  category: string;
  kind: CampaignKind;
  metaCampaignId: string;
  accountId: string;
  /** First day with spend. */
  launch: IsoDate;
  dailyBudgetCents: number;
}

export interface SampleOptions {
  start: IsoDate;
  end: IsoDate;
  campaigns: number;
  seed?: number;
  /** The day the report is pulled (as_of): its last RECONCILE_DAYS days are provisional. Default end + 1. */
  pulledOn?: IsoDate;
}

const KINDS: CampaignKind[] = ['winner', 'loser', 'volatile', 'steady', 'star'];
const ROAS: Record<CampaignKind, [number, number]> = {
  // A clear winner even on provisional (not yet reconciled) days: what scale-up alerts look like.
  star: [1.8, 0.12],
  winner: [1.45, 0.15],
  loser: [0.6, 0.15],
  volatile: [1.0, 0.9],
  steady: [1.05, 0.1],
};
const WORDS = ['Trials', 'Quotes', 'Savings', 'Finder', 'Deals', 'Guide', 'Offer', 'Leads'];
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function sampleCampaigns(options: SampleOptions): SampleCampaign[] {
  const rand = seededRandom(options.seed ?? 42);
  const span = daysBetween(options.start, options.end);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: options.campaigns }, (_, c) => {
    const owner = SAMPLE_OWNERS[c % SAMPLE_OWNERS.length]!;
    const category = pick(SAMPLE_CATEGORIES);
    let id = 's';
    for (let i = 0; i < 10; i++) id += pick(ID_CHARS.split(''));
    // A third start with the period; the rest launch at a random day within it.
    const launchOffset = c % 3 === 0 ? 0 : Math.floor(rand() * (span + 1));
    return {
      id,
      name: `${category}${pick(WORDS)}${c}_FB_${owner.slice(0, 2).toUpperCase()}`,
      owner,
      category,
      // Shifted every five campaigns, so each owner gets every kind rather than one each.
      kind: KINDS[(c + Math.floor(c / SAMPLE_OWNERS.length)) % KINDS.length]!,
      metaCampaignId: String(23850000000000 + c),
      accountId: `act_${100 + (c % SAMPLE_OWNERS.length)}`,
      launch: addDays(options.start, launchOffset),
      dailyBudgetCents: (20 + Math.floor(rand() * 480)) * 100,
    };
  });
}

/** The report's lines (header first), without line breaks. Every value is free of commas and quotes. */
export function* sampleReportLines(options: SampleOptions): Generator<string> {
  const pulledOn = options.pulledOn ?? addDays(options.end, 1);
  const firstProvisional = addDays(pulledOn, -RECONCILE_DAYS);
  const campaigns = sampleCampaigns(options);
  yield SAMPLE_HEADER.join(',');
  for (const date of datesBetween(options.start, options.end)) {
    // One PRNG per day, so a day's numbers do not depend on which other days are generated.
    const rand = seededRandom((options.seed ?? 42) * 100_003 + daysBetween('2000-01-01', date));
    for (const campaign of campaigns) {
      const noise = rand();
      const roasNoise = rand() * 2 - 1;
      if (date < campaign.launch) continue;
      const spend = roundCents(campaign.dailyBudgetCents * (0.75 + noise * 0.5));
      const [level, spread] = ROAS[campaign.kind];
      const roas = Math.max(0.05, level + spread * roasNoise);
      const provisional = date >= firstProvisional;
      const revenue = roundCents(spend * roas * (provisional ? 0.9 : 1));
      const clicks = Math.max(1, Math.round(spend / 80));
      const conversions = Math.round(clicks * 0.08 * roas);
      yield [
        date,
        campaign.id,
        campaign.name,
        campaign.owner,
        campaign.category,
        centsToString(spend),
        centsToString(revenue),
        centsToString(revenue - spend),
        clicks,
        conversions,
        clicks * 40,
        campaign.accountId,
        campaign.metaCampaignId,
        provisional ? 'false' : 'true',
      ].join(',');
    }
  }
}

/** The campaign map rows the sample campaigns need (header first). */
export function* sampleCampaignMapLines(options: SampleOptions): Generator<string> {
  yield 'campaign_id,meta_campaign_id,owner,category,account_id';
  for (const c of sampleCampaigns(options)) yield [c.id, c.metaCampaignId, c.owner, c.category, c.accountId].join(',');
}
