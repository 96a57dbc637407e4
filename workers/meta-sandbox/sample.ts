import { TZDate } from '@date-fns/tz';
import type { SampleCampaign } from '../../lib/sample/strategis';
import { SandboxState } from './state';

/**
 * A sandbox holding exactly the campaigns of a generated strateg.is sample (their Meta ids, ad
 * accounts and daily budgets), so the demo's proposals read and write campaigns that exist.
 */
export function sandboxForSample(campaigns: readonly SampleCampaign[], now: () => number = Date.now): SandboxState {
  const state = new SandboxState(now);
  // Today's spend so far follows the share of the (New York) day gone, faster or slower per
  // campaign, so pacing shows campaigns on, over and under pace.
  const local = new TZDate(now(), 'America/New_York');
  const dayGone = (local.getHours() * 60 + local.getMinutes()) / 1440;
  campaigns.forEach((c, i) => {
    if (!state.accounts.has(c.accountId)) state.addAccount(c.accountId, { currency: 'USD', name: `scaleflow sample ${c.accountId}` });
    const campaign = state.addCampaign(c.accountId, { name: c.name, dailyBudget: c.dailyBudgetCents, status: 'ACTIVE', cbo: true }, c.metaCampaignId);
    const pace = [1, 0.6, 1.4, 0.95, 1.1][(i + Math.floor(i / 5)) % 5]!;
    const spent = Math.floor(c.dailyBudgetCents * Math.min(1, dayGone * pace));
    campaign.spendMinor += spent;
    campaign.impressions += spent * 10;
    campaign.clicks += Math.floor(spent / 100);
  });
  return state;
}
