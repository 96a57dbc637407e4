import type { RuleCampaign } from './measure';
import type { Rule } from './schema';

/**
 * Whether a campaign is in the rule's scope: owners and categories case-insensitive, the name by regular
 * expression.
 */
export function inScope(rule: Rule, c: RuleCampaign): boolean {
  const lower = (s: string) => s.trim().toLowerCase();
  const { owners, categories, campaign_name } = rule.scope;
  if (owners && !owners.map(lower).includes(lower(c.owner))) return false;
  if (categories && !categories.map(lower).includes(lower(c.category))) return false;
  if (campaign_name && !new RegExp(campaign_name, 'i').test(c.campaign_name)) return false;
  return true;
}
