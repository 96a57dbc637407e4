import { BREAKDOWNS, HOURLY, META_BREAKDOWNS, type Breakdown } from '../../lib/meta/breakdowns';
import type { BreakdownRowSeed, Delivery, SandboxAccount, SandboxAdSet, SandboxCampaign } from './state';
import { major } from './wire';

/**
 * Insights by breakdown, as Meta answers `breakdowns=...`: an ad set's rows are the ones a test set
 * (SandboxState.setBreakdown) for the day asked (time_range.since), else the ones it set for every
 * day, or else its delivery split over fixed buckets with fixed weights, so a test can work every
 * figure out by hand (the split is the same on every day: the sandbox keeps no history). A split
 * gives each bucket floor(total x weight / sum of weights) and the first bucket what is left; buckets
 * that delivered nothing are left out, as Meta leaves them out.
 */

/** Meta's `breakdowns` parameter as one of the five the sandbox serves (any order), or undefined. */
export function breakdownOf(param: string): Breakdown | undefined {
  const asked = param
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort()
    .join(',');
  return BREAKDOWNS.find((b) => [...META_BREAKDOWNS[b]].sort().join(',') === asked);
}

type Bucket = { keys: Record<string, string>; weight: number };

const AGES: [string, number][] = [
  ['18-24', 2],
  ['25-34', 3],
  ['35-44', 2],
  ['45-54', 1],
  ['55-64', 1],
  ['65+', 1],
];
const PLACEMENTS: [string, string, string, number][] = [
  ['facebook', 'feed', 'android_smartphone', 3],
  ['facebook', 'feed', 'iphone', 2],
  ['instagram', 'feed', 'iphone', 2],
  ['instagram', 'story', 'iphone', 1],
  ['instagram', 'reels', 'android_smartphone', 1],
  ['audience_network', 'classic', 'android_smartphone', 1],
];
const REGIONS: [string, number][] = [
  ['California', 4],
  ['Texas', 3],
  ['Florida', 2],
  ['New York', 1],
];

/** Meta's hourly slot of hour `h`: '13:00:00 - 13:59:59'. */
export const hourSlot = (h: number) => {
  const hh = String(h).padStart(2, '0');
  return `${hh}:00:00 - ${hh}:59:59`;
};
/** Nights 1, working hours (8-17) 3, evenings (18-21) 4, late (22-23) 2. */
const hourWeight = (h: number) => (h < 8 ? 1 : h < 18 ? 3 : h < 22 ? 4 : 2);

function buckets(breakdown: Breakdown, adset: SandboxAdSet): Bucket[] {
  switch (breakdown) {
    case 'age_gender':
      return AGES.flatMap(([age, weight]) => ['female', 'male'].map((gender) => ({ keys: { age, gender }, weight })));
    case 'placement':
      return PLACEMENTS.map(([publisher_platform, platform_position, impression_device, weight]) => ({
        keys: { publisher_platform, platform_position, impression_device },
        weight,
      }));
    case 'country': {
      const geo = adset.targeting.geo_locations as { countries?: string[] } | undefined;
      return (geo?.countries?.length ? geo.countries : ['US']).map((country) => ({ keys: { country }, weight: 1 }));
    }
    case 'region':
      return REGIONS.map(([region, weight]) => ({ keys: { region }, weight }));
    case 'hour':
      return Array.from({ length: 24 }, (_, h) => ({ keys: { [HOURLY]: hourSlot(h) }, weight: hourWeight(h) }));
  }
}

function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[0]! += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

const METRICS = ['spendMinor', 'impressions', 'clicks', 'purchases', 'purchaseValueMinor'] as const;

/** An ad set's rows by `breakdown`. */
export function adsetBreakdownRows(
  breakdown: Breakdown,
  adset: SandboxAdSet,
  delivery: Delivery,
  day: string,
): BreakdownRowSeed[] {
  const set = adset.breakdownsByDay?.[day]?.[breakdown] ?? adset.breakdowns?.[breakdown];
  if (set) return set.filter((r) => r.impressions > 0 || r.spendMinor > 0);
  const all = buckets(breakdown, adset);
  const parts = Object.fromEntries(
    METRICS.map((m) => [
      m,
      split(
        delivery[m],
        all.map((b) => b.weight),
      ),
    ]),
  ) as Record<(typeof METRICS)[number], number[]>;
  return all
    .map((b, i) => ({
      keys: b.keys,
      spendMinor: parts.spendMinor[i]!,
      impressions: parts.impressions[i]!,
      clicks: parts.clicks[i]!,
      purchases: parts.purchases[i]!,
      purchaseValueMinor: parts.purchaseValueMinor[i]!,
    }))
    .filter((r) => r.impressions > 0 || r.spendMinor > 0);
}

/** A campaign's rows: its ad sets' summed key by key, in the order the keys first appear. */
export function campaignBreakdownRows(
  breakdown: Breakdown,
  adsets: { adset: SandboxAdSet; delivery: Delivery }[],
  day: string,
): BreakdownRowSeed[] {
  const byKey = new Map<string, BreakdownRowSeed>();
  for (const { adset, delivery } of adsets)
    for (const row of adsetBreakdownRows(breakdown, adset, delivery, day)) {
      const key = JSON.stringify(row.keys);
      const sum = byKey.get(key);
      if (!sum) byKey.set(key, structuredClone(row));
      else for (const m of METRICS) sum[m] += row[m];
    }
  return [...byKey.values()];
}

/** One row on the wire: numbers as strings, money in major units, purchases under both pixel action types. */
export function breakdownJson(
  c: SandboxCampaign,
  account: SandboxAccount,
  day: string,
  row: BreakdownRowSeed,
  fields: string[] | undefined,
  adset?: SandboxAdSet,
): Record<string, unknown> {
  const purchase = (value: string) => [
    { action_type: 'offsite_conversion.fb_pixel_purchase', value },
    { action_type: 'purchase', value },
  ];
  const all: Record<string, unknown> = {
    account_id: account.id.slice(4),
    campaign_id: c.id,
    campaign_name: c.name,
    adset_id: adset?.id,
    adset_name: adset?.name,
    spend: major(row.spendMinor, account.currency),
    impressions: String(row.impressions),
    clicks: String(row.clicks),
    actions: row.purchases ? purchase(String(row.purchases)) : undefined,
    action_values: row.purchases ? purchase(major(row.purchaseValueMinor, account.currency)) : undefined,
  };
  const wanted = fields?.length ? fields : ['spend', 'impressions', 'clicks'];
  const out: Record<string, unknown> = {};
  for (const key of wanted) if (all[key] !== undefined) out[key] = all[key];
  // Meta always returns the breakdown's own keys and the dates, whatever `fields` asked.
  return { ...out, ...row.keys, date_start: day, date_stop: day };
}
