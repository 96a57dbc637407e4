import type { RuleCampaign } from './measure';
import type { Rule } from './schema';

/**
 * Whether a campaign (or an ad set, for a level adset rule) is in the rule's scope: owners and
 * categories case-insensitive, the campaign name by regular expression, the ad set's audience type.
 */
export function inScope(rule: Rule, c: RuleCampaign): boolean {
  const lower = (s: string) => s.trim().toLowerCase();
  const { owners, categories, campaign_name, audience_types } = rule.scope;
  // A rule reads its own level only: a campaign rule never sees an ad set, nor the reverse.
  if ((c.adset ? 'adset' : 'campaign') !== (rule.level ?? 'campaign')) return false;
  if (audience_types && (!c.adset || !audience_types.includes(c.adset.audienceType))) return false;
  if (owners && !owners.map(lower).includes(lower(c.owner))) return false;
  if (categories && !categories.map(lower).includes(lower(c.category))) return false;
  if (campaign_name && !new RegExp(campaign_name, 'i').test(c.campaign_name)) return false;
  return true;
}
