import { z } from 'zod';
import { audienceTypeOf, type AudienceType } from '../levels';
import { centsToString, toCents } from '../money';
import { wireToAmount } from './currency';
import { purchaseStat } from './wire';

/** Ad sets, custom audiences and level=adset insights as the Graph API writes them (numbers as strings). */
export const adsetWireSchema = z.object({
  id: z.string().min(1),
  campaign_id: z.string().min(1),
  name: z.string().default(''),
  status: z.string().min(1),
  effective_status: z.string().optional(),
  daily_budget: z.string().optional(),
  lifetime_budget: z.string().optional(),
  bid_strategy: z.string().optional(),
  optimization_goal: z.string().optional(),
  learning_stage_info: z.object({ status: z.string().optional() }).loose().optional(),
  targeting: z.record(z.string(), z.unknown()).optional(),
});
export type AdSetWire = z.infer<typeof adsetWireSchema>;

export const ADSET_FIELDS = [
  'id',
  'campaign_id',
  'name',
  'status',
  'effective_status',
  'daily_budget',
  'lifetime_budget',
  'bid_strategy',
  'optimization_goal',
  'learning_stage_info',
  'targeting',
];

export const customAudienceWireSchema = z.object({ id: z.string().min(1), subtype: z.string().default('CUSTOM') });
export type CustomAudienceWire = z.infer<typeof customAudienceWireSchema>;
export const CUSTOM_AUDIENCE_FIELDS = ['id', 'subtype'];

const actionStat = z.object({ action_type: z.string(), value: z.string() });

export const adsetInsightsWireSchema = z.object({
  adset_id: z.string().min(1),
  campaign_id: z.string().optional(),
  spend: z.string().default('0'),
  impressions: z.string().default('0'),
  clicks: z.string().default('0'),
  actions: z.array(actionStat).optional(),
  action_values: z.array(actionStat).optional(),
});
export type AdSetInsightsWire = z.infer<typeof adsetInsightsWireSchema>;
export const ADSET_INSIGHTS_FIELDS = [
  'adset_id',
  'campaign_id',
  'spend',
  'impressions',
  'clicks',
  'actions',
  'action_values',
];

/** One ad set's state for meta_adset_snapshots: budgets as exact DECIMAL strings in the account currency. */
export interface AdSetStateRow {
  adset_id: string;
  meta_campaign_id: string;
  name: string;
  status: string;
  effective_status: string | null;
  daily_budget: string | null;
  lifetime_budget: string | null;
  bid_strategy: string | null;
  optimization_goal: string | null;
  learning_status: string | null;
  audience_type: AudienceType;
  /** The targeting as JSON text (DuckDB's JSON column), or null. */
  targeting: string | null;
}

/** Meta answers "0" or nothing for the budget an ad set of a CBO campaign does not hold. */
const budget = (wire: string | undefined, currency: string) =>
  wire && wire !== '0' ? wireToAmount(wire, currency) : null;

/** `subtypes`: the account's custom audiences, id -> `subtype`, for the audience type (lib/levels.ts). */
export function adsetStateRow(wire: AdSetWire, currency: string, subtypes: ReadonlyMap<string, string>): AdSetStateRow {
  return {
    adset_id: wire.id,
    meta_campaign_id: wire.campaign_id,
    name: wire.name,
    status: wire.status,
    effective_status: wire.effective_status ?? null,
    daily_budget: budget(wire.daily_budget, currency),
    lifetime_budget: budget(wire.lifetime_budget, currency),
    bid_strategy: wire.bid_strategy ?? null,
    optimization_goal: wire.optimization_goal ?? null,
    learning_status: wire.learning_stage_info?.status ?? null,
    audience_type: audienceTypeOf(wire.targeting, subtypes),
    targeting: wire.targeting ? JSON.stringify(wire.targeting) : null,
  };
}

export interface AdSetInsightsRow {
  adset_id: string;
  spend: string;
  impressions: number;
  clicks: number;
  purchases: number;
  purchase_value: string;
}

/** Insights money is already in major units; the first purchase-type entry counts (Meta repeats it per type). */
export function adsetInsightsRow(wire: AdSetInsightsWire): AdSetInsightsRow {
  return {
    adset_id: wire.adset_id,
    spend: centsToString(toCents(wire.spend)),
    impressions: Number(wire.impressions),
    clicks: Number(wire.clicks),
    purchases: Number(purchaseStat(wire.actions) ?? 0),
    purchase_value: centsToString(toCents(purchaseStat(wire.action_values) ?? '0')),
  };
}
