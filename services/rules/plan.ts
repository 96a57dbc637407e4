import { budgetLimits } from '../../lib/approvals/guardrails';
import type { Config } from '../../lib/config';
import { addDays, dateIn, startOfDayIn, yesterdayOf } from '../../lib/dates';
import { toCents } from '../../lib/money';
import { alertRules } from '../../lib/rules/alerts';
import { EMPTY_HISTORY, evaluateRules, rulesLookback, type RuleHistory, type RuleRun } from '../../lib/rules/evaluate';
import type { LiveState, RuleCampaign } from '../../lib/rules/measure';
import { formatRuleError } from '../../lib/rules/parse';
import { ruleCampaigns, type RuleRow } from '../../lib/rules/rows';
import type { Condition, Rule } from '../../lib/rules/schema';
import { webhookPolicy } from '../../lib/rules/webhook-policy';
import { evaluateAt } from '../decisions/evaluate';
import { loadThresholds } from '../decisions/thresholds-file';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { loadRuleSet, type RuleSet } from './files';

export interface PlanOptions {
  evaluationId: string;
  nowMs: number;
  asOf?: string;
  force?: boolean;
  ruleId?: string;
  /** Evaluate disabled rules too (`scaleflow rules test` before switching one on). */
  includeDisabled?: boolean;
}

export interface EvaluationPlan {
  asOf: string;
  set: RuleSet;
  rules: Rule[];
  runs: RuleRun[];
  campaigns: RuleCampaign[];
}

function hasDecision(c: Condition): boolean {
  if ('all' in c) return c.all.some(hasDecision);
  if ('any' in c) return c.any.some(hasDecision);
  return 'decision' in c;
}

async function history(warehouse: Warehouse, asOf: string, nowMs: number, evaluationId: string): Promise<RuleHistory> {
  const rows = await warehouse.all<{ what: string; rule_id: string; campaign_id: string | null; at: number | null }>(
    sqlFile('rules/history'),
    [asOf, nowMs, evaluationId],
  );
  const actedToday = new Map<string, Set<string>>();
  const lastActionAt = new Map<string, number>();
  const lastRunAt = new Map<string, number>();
  for (const r of rows) {
    if (r.what === 'acted') actedToday.set(r.rule_id, (actedToday.get(r.rule_id) ?? new Set()).add(r.campaign_id!));
    else if (r.what === 'last_action') lastActionAt.set(`${r.rule_id}/${r.campaign_id}`, r.at!);
    else lastRunAt.set(r.rule_id, r.at!);
  }
  return { actedToday, lastActionAt, lastRunAt };
}

/** Meta's latest snapshot per mapped campaign; today's numbers count only when the snapshot is of as_of. */
async function liveStates(warehouse: Warehouse, timeZone: string, asOf: string): Promise<Map<string, LiveState>> {
  const rows = await warehouse.all<{
    campaign_id: string;
    account_id: string;
    meta_campaign_id: string;
    status: string;
    daily_budget: string | null;
    spend_today: string;
    impressions: number;
    clicks: number;
    purchases: number;
    report_date: string;
    as_of_ms: number;
  }>(sqlFile('rules/live_state'));
  return new Map(
    rows.map((r) => {
      const todayKnown = r.report_date === asOf;
      const elapsed = (r.as_of_ms - startOfDayIn(timeZone, r.report_date)) / 86_400_000;
      const live: LiveState = {
        accountId: r.account_id,
        metaCampaignId: r.meta_campaign_id,
        status: r.status,
        dailyBudgetCents: r.daily_budget === null ? null : toCents(r.daily_budget),
        spendTodayCents: toCents(r.spend_today),
        impressionsToday: r.impressions,
        clicksToday: r.clicks,
        purchasesToday: r.purchases,
        dayElapsed: todayKnown && elapsed > 0 ? Math.min(1, elapsed) : null,
        todayKnown,
      };
      return [r.campaign_id, live];
    }),
  );
}

/**
 * Reads what the rules need from the warehouse and evaluates them, recording nothing: the
 * evaluation activity records the plan, `scaleflow rules test` prints it.
 */
export async function planEvaluation(
  warehouse: Warehouse,
  config: Config,
  input: PlanOptions,
  options: { readHistory?: boolean } = {},
): Promise<EvaluationPlan> {
  const asOf = input.asOf ?? dateIn(config.TZ, new Date(input.nowMs));
  const set = loadRuleSet(config.RULES_DIR);
  // Alert rules are the daily pipeline's, evaluated after its decision step; here, the others.
  const rules = set.rules
    .filter((r) => !r.rule.alert)
    .map((r) => (input.includeDisabled ? { ...r.rule, enabled: true } : r.rule))
    .filter((r) => input.ruleId === undefined || r.id === input.ruleId);
  const yesterday = yesterdayOf(asOf);
  const lookback = rulesLookback(rules);
  const [rows, live, past] = await Promise.all([
    warehouse.all<RuleRow>(sqlFile('rules/rows'), [addDays(yesterday, -(lookback - 1)), yesterday]),
    liveStates(warehouse, config.TZ, asOf),
    options.readHistory === false ? EMPTY_HISTORY : history(warehouse, asOf, input.nowMs, input.evaluationId),
  ]);
  let decisions = new Map<string, string>();
  if (rules.some((r) => hasDecision(r.conditions))) {
    const evaluation = await evaluateAt(warehouse, {
      asOf,
      nowMs: input.nowMs,
      timeZone: config.TZ,
      thresholds: loadThresholds(config.THRESHOLDS_FILE),
      rules: alertRules([]),
      anomalyDays: 0,
      // User rules match campaigns, so they read the campaigns' decisions (the ad-set level is adset-rules').
      level: 'campaign',
    });
    decisions = new Map(evaluation.decisions.map((d) => [d.campaign_id, d.recommendation]));
  }
  const campaigns = ruleCampaigns(rows, yesterday, lookback, decisions as never, live);
  const runs = evaluateRules({
    rules,
    campaigns,
    owners: set.owners,
    history: past,
    nowMs: input.nowMs,
    force: input.force,
    webhooks: webhookPolicy(config),
    limits: budgetLimits(config),
  });
  return { asOf, set, rules, runs, campaigns };
}

export { formatRuleError };
