import { minorUnitFactor } from '../../lib/meta/currency';
import type { Delivery, SandboxAccount, SandboxAdSet, SandboxCampaign, SandboxCustomAudience } from './state';

/** Meta's JSON for campaigns, ad sets and insights rows: budgets in minor units, numbers as strings. */

function pick(all: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  const wanted = fields?.length ? fields : ['id', 'name'];
  const out: Record<string, unknown> = { id: all.id };
  for (const field of wanted) if (all[field] !== undefined && all[field] !== null) out[field] = all[field];
  return out;
}

export function campaignJson(c: SandboxCampaign, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      id: c.id,
      account_id: c.accountId.slice(4),
      name: c.name,
      status: c.status,
      effective_status: c.status,
      configured_status: c.status,
      objective: c.objective,
      daily_budget: c.dailyBudget === null ? undefined : String(c.dailyBudget),
      lifetime_budget: c.lifetimeBudget === null ? undefined : String(c.lifetimeBudget),
      created_time: c.createdTime,
      updated_time: c.updatedTime,
    },
    fields,
  );
}

export function adsetJson(a: SandboxAdSet, campaign: SandboxCampaign, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      id: a.id,
      name: a.name,
      campaign_id: campaign.id,
      account_id: campaign.accountId.slice(4),
      status: a.status,
      // A paused campaign stops its ad sets whatever their own status says.
      effective_status: campaign.status === 'PAUSED' ? 'CAMPAIGN_PAUSED' : a.status,
      daily_budget: a.dailyBudget === null ? undefined : String(a.dailyBudget),
      lifetime_budget: a.lifetimeBudget === null ? undefined : String(a.lifetimeBudget),
      bid_strategy: a.bidStrategy,
      optimization_goal: a.optimizationGoal,
      learning_stage_info: { status: a.learningStatus },
      targeting: a.targeting,
    },
    fields,
  );
}

export function customAudienceJson(a: SandboxCustomAudience, fields?: string[]): Record<string, unknown> {
  return pick({ id: a.id, name: a.name, subtype: a.subtype }, fields);
}

/** Minor units as Meta's insights write money: major units as a decimal string ("12.34", JPY "1234"). */
export function major(minor: number, currency: string): string {
  const factor = minorUnitFactor(currency);
  if (factor === 1) return String(minor);
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/**
 * One insights row: a campaign's (level=campaign) or, given `adset`, that ad set's delivery
 * (level=adset). Purchases are reported as Meta does for a pixel: `purchase` and
 * `offsite_conversion.fb_pixel_purchase` (campaigns) or `omni_purchase` (ad sets), same figures.
 */
export function insightsJson(
  c: SandboxCampaign,
  account: SandboxAccount,
  day: string,
  fields?: string[],
  adset?: { adset: SandboxAdSet; delivery: Delivery },
): Record<string, unknown> {
  const d: Delivery = adset?.delivery ?? c;
  const spend = major(d.spendMinor, account.currency);
  const roas = d.spendMinor > 0 ? (d.purchaseValueMinor / d.spendMinor).toFixed(6) : undefined;
  const purchase = (value: string) =>
    adset
      ? [
          { action_type: 'omni_purchase', value },
          { action_type: 'offsite_conversion.fb_pixel_purchase', value },
        ]
      : [{ action_type: 'purchase', value }];
  const row: Record<string, unknown> = {
    account_id: account.id.slice(4),
    account_currency: account.currency,
    campaign_id: c.id,
    campaign_name: c.name,
    adset_id: adset?.adset.id,
    adset_name: adset?.adset.name,
    spend,
    impressions: String(d.impressions),
    clicks: String(d.clicks),
    actions: d.purchases ? purchase(String(d.purchases)) : undefined,
    action_values: d.purchases ? purchase(major(d.purchaseValueMinor, account.currency)) : undefined,
    purchase_roas: roas ? [{ action_type: 'omni_purchase', value: roas }] : undefined,
    date_start: day,
    date_stop: day,
  };
  const wanted = fields?.length ? fields : ['spend', 'impressions', 'clicks'];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    if (row[key] === undefined) continue;
    if (wanted.includes(key) || key === 'date_start' || key === 'date_stop') out[key] = row[key];
  }
  return out;
}

export function graphError(
  code: number,
  message: string,
  extra: { subcode?: number; type?: string; userMessage?: string } = {},
) {
  return {
    error: {
      message,
      type: extra.type ?? 'OAuthException',
      code,
      ...(extra.subcode !== undefined ? { error_subcode: extra.subcode } : {}),
      ...(extra.userMessage ? { error_user_msg: extra.userMessage, error_user_title: 'Request refused' } : {}),
      fbtrace_id: `sandbox${Math.random().toString(36).slice(2, 10)}`,
    },
  };
}
