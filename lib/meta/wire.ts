import { z } from 'zod';
import { centsToString, toCents } from '../money';
import { wireToAmount } from './currency';

/** What scaleflow reads from the Graph API, as Meta writes it (numbers as strings). */
export const campaignWireSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  status: z.string().min(1),
  effective_status: z.string().optional(),
  daily_budget: z.string().optional(),
  lifetime_budget: z.string().optional(),
  updated_time: z.string().optional(),
});
export type CampaignWire = z.infer<typeof campaignWireSchema>;

const actionStat = z.object({ action_type: z.string(), value: z.string() });

export const insightsWireSchema = z.object({
  campaign_id: z.string().min(1),
  spend: z.string().default('0'),
  impressions: z.string().default('0'),
  clicks: z.string().default('0'),
  actions: z.array(actionStat).optional(),
  action_values: z.array(actionStat).optional(),
  purchase_roas: z.array(actionStat).optional(),
  date_start: z.string().optional(),
});
export type InsightsWire = z.infer<typeof insightsWireSchema>;

export const CAMPAIGN_FIELDS = [
  'id',
  'name',
  'status',
  'effective_status',
  'daily_budget',
  'lifetime_budget',
  'updated_time',
];
export const INSIGHTS_FIELDS = [
  'campaign_id',
  'spend',
  'impressions',
  'clicks',
  'actions',
  'action_values',
  'purchase_roas',
];

/** One campaign's state for the warehouse: budgets as exact DECIMAL strings in the account currency. */
export interface CampaignStateRow {
  meta_campaign_id: string;
  name: string;
  status: string;
  effective_status: string | null;
  daily_budget: string | null;
  lifetime_budget: string | null;
  is_cbo: boolean;
}

export function campaignStateRow(wire: CampaignWire, currency: string): CampaignStateRow {
  const daily = wire.daily_budget && wire.daily_budget !== '0' ? wireToAmount(wire.daily_budget, currency) : null;
  const lifetime =
    wire.lifetime_budget && wire.lifetime_budget !== '0' ? wireToAmount(wire.lifetime_budget, currency) : null;
  return {
    meta_campaign_id: wire.id,
    name: wire.name,
    status: wire.status,
    effective_status: wire.effective_status ?? null,
    daily_budget: daily,
    lifetime_budget: lifetime,
    is_cbo: daily !== null || lifetime !== null,
  };
}

export interface InsightsRow {
  meta_campaign_id: string;
  spend: string;
  impressions: number;
  clicks: number;
  purchases: number;
  purchase_value: string;
}

const PURCHASE = new Set(['purchase', 'omni_purchase', 'offsite_conversion.fb_pixel_purchase']);

/** The first purchase-type entry (Meta reports the same purchases under several action types). */
export function purchaseStat(stats: InsightsWire['actions']): string | undefined {
  return stats?.find((s) => PURCHASE.has(s.action_type))?.value;
}

/** Insights money is already in major units ("12.34"; JPY "1234"); only normalised to two places. */
export function insightsRow(wire: InsightsWire): InsightsRow {
  return {
    meta_campaign_id: wire.campaign_id,
    spend: centsToString(toCents(wire.spend)),
    impressions: Number(wire.impressions),
    clicks: Number(wire.clicks),
    purchases: Number(purchaseStat(wire.actions) ?? 0),
    purchase_value: centsToString(toCents(purchaseStat(wire.action_values) ?? '0')),
  };
}
