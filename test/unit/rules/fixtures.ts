import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleText } from '../../../lib/rules/parse';
import { ruleSchema, type Rule, type RuleInput } from '../../../lib/rules/schema';
import { ZERO_DAY, type LiveState, type RuleCampaign, type RuleDay } from '../../../lib/rules/measure';
import { EMPTY_HISTORY, evaluateRules, type RuleHistory } from '../../../lib/rules/evaluate';
import type { OwnersConfig } from '../../../lib/rules/owners';
import type { WebhookPolicy } from '../../../lib/rules/webhook-policy';

export const RULES_DIR = join(import.meta.dirname, '../../../rules');
export const NOW_MS = Date.parse('2025-10-13T14:00:00Z');
export const LIMITS = { maxChangePct: 50, minBudgetCents: 100, maxBudgetCents: 1_000_000 };

export function rule(input: Partial<RuleInput> & Pick<RuleInput, 'conditions'>): Rule {
  return ruleSchema.parse({ id: 'r', name: 'test rule', actions: [{ pause: true }], ...input });
}

export function ruleFile(path: string): Rule {
  const parsed = parseRuleText(readFileSync(join(RULES_DIR, path), 'utf8'), path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

/** A day from dollars: spend, revenue and optional counts. */
export function day(
  spend: number,
  revenue: number,
  counts: Partial<Pick<RuleDay, 'clicks' | 'impressions' | 'conversions'>> = {},
): RuleDay {
  return { ...ZERO_DAY, spend: Math.round(spend * 100), revenue: Math.round(revenue * 100), ...counts };
}

export const live = (overrides: Partial<LiveState> = {}): LiveState => ({
  accountId: 'act_1001',
  metaCampaignId: 'meta-1',
  status: 'ACTIVE',
  dailyBudgetCents: 50_000,
  spendTodayCents: 0,
  impressionsToday: 0,
  clicksToday: 0,
  purchasesToday: 0,
  dayElapsed: 0.5,
  todayKnown: true,
  ...overrides,
});

/** A campaign from days oldest first (the last is yesterday). */
export function camp(id: string, daysOldestFirst: RuleDay[], extra: Partial<RuleCampaign> = {}): RuleCampaign {
  return {
    campaign_id: id,
    campaign_name: `Campaign ${id}`,
    owner: 'ben',
    category: 'Dental',
    days: [...daysOldestFirst].reverse(),
    live: live(),
    decision: null,
    ...extra,
  };
}

export function run(
  rules: Rule[],
  campaigns: RuleCampaign[],
  opts: { history?: Partial<RuleHistory>; owners?: OwnersConfig; force?: boolean; webhooks?: WebhookPolicy } = {},
) {
  return evaluateRules({
    rules,
    campaigns,
    owners: opts.owners ?? { owners: {} },
    history: { ...EMPTY_HISTORY, ...opts.history },
    limits: LIMITS,
    webhooks: opts.webhooks ?? { allowedHosts: [], allowLoopback: false },
    nowMs: NOW_MS,
    force: opts.force ?? true,
  });
}
