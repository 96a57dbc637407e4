import { TZDate } from '@date-fns/tz';
import type { SampleCampaign } from '../../lib/sample/strategis';
import { SandboxState, type SandboxCampaign } from './state';

/**
 * A sandbox holding exactly the campaigns of a generated strateg.is sample (their Meta ids, ad
 * accounts and daily budgets), so the demo's proposals read and write campaigns that exist.
 */
export function sandboxForSample(campaigns: readonly SampleCampaign[], now: () => number = Date.now): SandboxState {
  const state = new SandboxState(now);
  for (const c of campaigns) {
    if (!state.accounts.has(c.accountId))
      state.addAccount(c.accountId, { currency: 'USD', name: `scaleflow sample ${c.accountId}` });
    state.addCampaign(
      c.accountId,
      { name: c.name, dailyBudget: c.dailyBudgetCents, status: 'ACTIVE', cbo: true },
      c.metaCampaignId,
    );
  }
  paceToday(state);
  return state;
}

/**
 * Today's delivery so far, from nothing: spend follows the share of the (New York) day gone,
 * faster or slower per campaign, so pacing shows campaigns on, over and under pace. `which`
 * limits it to some campaigns (a sandbox kept from an earlier day starts their day again).
 */
export function paceToday(state: SandboxState, which: (c: SandboxCampaign) => boolean = () => true): void {
  const local = new TZDate(state.now(), 'America/New_York');
  const dayGone = (local.getHours() * 60 + local.getMinutes()) / 1440;
  state.campaigns().forEach((campaign, i) => {
    if (!which(campaign)) return;
    const pace = [1, 0.6, 1.4, 0.95, 1.1][(i + Math.floor(i / 5)) % 5]!;
    const budget = campaign.dailyBudget ?? campaign.adsets.reduce((sum, a) => sum + (a.dailyBudget ?? 0), 0);
    const spent = campaign.status === 'ACTIVE' ? Math.floor(budget * Math.min(1, dayGone * pace)) : 0;
    Object.assign(campaign, {
      spendMinor: spent,
      impressions: spent * 10,
      clicks: Math.floor(spent / 100),
      purchases: 0,
      purchaseValueMinor: 0,
    });
  });
}
