import { budgetLimitsIn } from '../../lib/approvals/guardrails';
import type { Recommendation } from '../../lib/decisions/decide';
import type { Config } from '../../lib/config';
import { addDays, dateIn, yesterdayOf } from '../../lib/dates';
import { alertRules } from '../../lib/rules/alerts';
import { EMPTY_HISTORY, evaluateRules, rulesLookback, type RuleHistory, type RuleRun } from '../../lib/rules/evaluate';
import type { LiveState, RuleCampaign } from '../../lib/rules/measure';
import { formatRuleError } from '../../lib/rules/parse';
import { ruleAdsets, ruleCampaigns, type RuleRow } from '../../lib/rules/rows';
import type { Condition, Rule } from '../../lib/rules/schema';
import { webhookPolicy } from '../../lib/rules/webhook-policy';
import { evaluateAt } from '../decisions/evaluate';
import { loadThresholds } from '../decisions/thresholds-file';
import { sqlFile } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { adsetStates, liveStateOf, type LiveRow } from './live';
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
  /** The campaigns, then the ad sets (those with `adset`) the rules read. */
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
  const rows = await warehouse.all<LiveRow & { campaign_id: string }>(sqlFile('rules/live_state'));
  return new Map(rows.map((r) => [r.campaign_id, liveStateOf(r, timeZone, asOf)]));
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
  // Alert and breakdown rules are the daily pipeline's, evaluated after its decision step; here, the others.
  const rules = set.rules
    .filter((r) => !r.rule.alert && !r.rule.breakdown)
    .map((r) => (input.includeDisabled ? { ...r.rule, enabled: true } : r.rule))
    .filter((r) => input.ruleId === undefined || r.id === input.ruleId);
  const yesterday = yesterdayOf(asOf);
  const lookback = rulesLookback(rules);
  const window = [addDays(yesterday, -(lookback - 1)), yesterday];
  // Ad sets are read only when a rule acts on them: most rule sets are all campaign rules.
  const byAdset = rules.some((r) => r.level === 'adset');
  const [rows, live, adsetRows, adsetLive, past] = await Promise.all([
    warehouse.all<RuleRow>(sqlFile('rules/rows'), window),
    liveStates(warehouse, config.TZ, asOf),
    byAdset ? warehouse.all<RuleRow>(sqlFile('rules/adset_rows'), window) : [],
    byAdset ? adsetStates(warehouse, config.TZ, asOf) : new Map(),
    options.readHistory === false ? EMPTY_HISTORY : history(warehouse, asOf, input.nowMs, input.evaluationId),
  ]);
  // A decision condition reads the METRICS.md decision of what the rule acts on: the campaign's for a
  // campaign rule, the ad set's (its audience step, its learning hold) for a level adset rule.
  const decided = (level: 'campaign' | 'adset') =>
    rules.some((r) => r.level === level && hasDecision(r.conditions))
      ? evaluateAt(warehouse, {
          asOf,
          nowMs: input.nowMs,
          timeZone: config.TZ,
          thresholds: loadThresholds(config.THRESHOLDS_FILE),
          rules: alertRules([]),
          anomalyDays: 0,
          level,
        }).then((e) => new Map(e.decisions.map((d) => [d.entity_id, d.recommendation])))
      : new Map<string, Recommendation>();
  const [decisions, adsetDecisions] = await Promise.all([decided('campaign'), decided('adset')]);
  const campaigns = ruleCampaigns(rows, yesterday, lookback, decisions, live);
  const adsets = ruleAdsets(adsetRows, yesterday, lookback, adsetLive, adsetDecisions);
  const runs = evaluateRules({
    rules,
    campaigns,
    adsets,
    owners: set.owners,
    history: past,
    nowMs: input.nowMs,
    force: input.force,
    webhooks: webhookPolicy(config),
    // Each budget in its ad account's currency's bounds; a currency with none is skipped with why.
    limits: (currency) => budgetLimitsIn(config, currency),
  });
  return { asOf, set, rules, runs, campaigns: [...campaigns, ...adsets] };
}

export { formatRuleError };
